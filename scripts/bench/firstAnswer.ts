/**
 * The first correct answer, as an editor gets it: spawn the server, initialize, open a template and ask
 * for completion and definition at once, without waiting for the project. An answer counts only when it
 * holds the expected item; a wrong or empty one is asked again (as a user would retype), and counted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMPLETION_POSITIONS, GeneratedProject } from './generate';
import { benchSettings } from './engine';
import { LspSession, withTimeout } from './lspSession';
import { median, now, reasonOf } from './stats';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { CODE_CACHE_ENV } from '../../server/src/launch/codeCache';

/** How the server is configured: static and django force a mode; auto is the default (static reading first). */
export type FirstAnswerMode = 'static' | 'auto' | 'django';
export const FIRST_ANSWER_MODES: FirstAnswerMode[] = ['static', 'auto', 'django'];

export interface FirstAnswers {
  /** With the V8 code cache the first start made (every start after the first one). */
  completionMs: number;
  definitionMs: number;
  /** The first start after an install or upgrade, which has no code cache yet (one run). */
  noCacheCompletionMs: number;
  /** Wrong (empty) answers received before the right one, summed over the runs. */
  wrongAnswers: number;
  /**
   * CPU the server process used (user + system, every thread) until both answers: unlike the wall time it
   * hardly depends on what else the shared cores run. Null where /proc cannot tell (not Linux).
   */
  serverCpuMs: number | null;
}

const EXPECTED_FILE = 'd0/big/item_0000.png';
const DEFINITION_LINE = 3;
const DEFINITION_TEXT = `<img src="{% static '${EXPECTED_FILE}' %}">`;
const GIVE_UP_MS = 60_000;
const RETRY_MS = 20;

export async function measureFirstAnswers(
  project: GeneratedProject,
  mode: FirstAnswerMode,
  runs: number,
  repoRoot: string,
  cliPath?: string,
): Promise<FirstAnswers | { na: string }> {
  const completion: number[] = [];
  const definition: number[] = [];
  const cpu: number[] = [];
  let wrongAnswers = 0;
  let noCacheCompletionMs = NaN;
  // A cache folder of the bench's own: its first start makes the cache (measured apart), the runs use it.
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-bench-code-cache-'));
  try {
    noCacheCompletionMs = (await firstAnswersOnce(project, mode, repoRoot, cacheDir, cliPath)).completionMs;
    for (let run = 0; run < runs; run++) {
      const one = await firstAnswersOnce(project, mode, repoRoot, cacheDir, cliPath);
      completion.push(one.completionMs);
      definition.push(one.definitionMs);
      if (one.serverCpuMs !== null) cpu.push(one.serverCpuMs);
      wrongAnswers += one.wrongAnswers;
    }
  } catch (err) {
    return { na: `first answers in ${mode} mode: ${reasonOf(err)}` };
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  return {
    completionMs: median(completion),
    definitionMs: median(definition),
    noCacheCompletionMs,
    wrongAnswers,
    serverCpuMs: cpu.length === runs ? median(cpu) : null,
  };
}

async function firstAnswersOnce(
  project: GeneratedProject,
  mode: FirstAnswerMode,
  repoRoot: string,
  cacheDir: string,
  cliPath?: string,
): Promise<Omit<FirstAnswers, 'noCacheCompletionMs'>> {
  const session = new LspSession({
    repoRoot,
    projectRoot: project.root,
    settings: mode === 'auto' ? { ...DEFAULT_SETTINGS } : benchSettings(mode),
    cliPath,
    clientWatches: true,
    env: { [CODE_CACHE_ENV]: cacheDir },
  });
  try {
    await session.initialize();
    const text = `${fs.readFileSync(project.completionTemplate, 'utf8').trimEnd()}\n${DEFINITION_TEXT}\n`;
    const uri = session.open(project.completionTemplate, text);
    let wrongAnswers = 0;
    const expectedTarget = path.join(project.staticRoots[0], EXPECTED_FILE);
    const until = async (ask: () => Promise<boolean>): Promise<number> => {
      for (;;) {
        if (await ask()) return now() - session.spawnedAt;
        wrongAnswers++;
        if (now() - session.spawnedAt > GIVE_UP_MS) throw new Error(`no correct answer within ${GIVE_UP_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    };
    const position = COMPLETION_POSITIONS.bigFolder;
    const [completionMs, definitionMs] = await withTimeout(
      Promise.all([
        until(async () =>
          (await session.complete(uri, position.line, position.character)).items.some((i) => i.label === path.basename(EXPECTED_FILE)),
        ),
        until(async () =>
          (await session.definition(uri, DEFINITION_LINE, DEFINITION_TEXT.indexOf(EXPECTED_FILE) + 3)).includes(expectedTarget),
        ),
      ]),
      GIVE_UP_MS + 5000,
      () => 'the server never answered',
    );
    const serverCpuMs = cpuMsOf(session.child.pid);
    await cacheWritten(cacheDir);
    return { completionMs, definitionMs, wrongAnswers, serverCpuMs };
  } finally {
    await session.dispose();
  }
}

/** Waits (a few seconds at most) until the server wrote its code cache, which follows its first answer. */
async function cacheWritten(cacheDir: string): Promise<void> {
  for (const until = now() + 5000; now() < until;) {
    if (fs.readdirSync(cacheDir).some((name) => name.endsWith('.v8cache'))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** User + system CPU of a live process, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms). */
function cpuMsOf(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
