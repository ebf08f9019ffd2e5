/**
 * Fault injection for the Django-mode helper, with real Python and real processes: settings modules that
 * hang, crash, print garbage or without end, read stdin, start a subprocess, fork, or daemonise. Each run
 * ends in bounded time with a clear reason (or a good model), learnProject falls back to static mode where
 * Django mode failed, and no process is left: checked by the pids the settings wrote down and by the
 * helper's process group.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runDjangoMode } from '../../server/src/engine/djangoMode';
import { learnProject } from '../../server/src/engine/learn';
import { DJANGO_PYTHON, makeProject, removeTree } from './djangoFixtures';

const TIMEOUT_MS = 3000;

/** Writes the settings process's group and any child pids to `pids.txt` beside manage.py. */
const RECORD = `import os as _os
def _record(*pids):
    with open(_os.path.join(str(BASE_DIR), 'pids.txt'), 'a') as f:
        f.write(' '.join(str(p) for p in (_os.getpgid(0),) + pids) + '\\n')
`;

interface Fault {
  name: string;
  code: string;
  /** What the result must say: a failure reason, or ok (with an optional problem). */
  expect: { reason: RegExp } | { ok: true; problem?: RegExp };
  maxMs: number;
}

const FAULTS: Fault[] = [
  {
    name: 'hangs',
    code: `_record()\nimport time\ntime.sleep(600)`,
    expect: { reason: /took longer than 3 s and was stopped/ },
    maxMs: TIMEOUT_MS + 3000,
  },
  {
    name: 'crashes',
    code: `_record()\n_os.kill(_os.getpid(), 9)`,
    expect: { reason: /the Django helper gave no report \(exit code SIGKILL\)/ },
    maxMs: 8000,
  },
  // The helper points fd 1 at stderr and writes its report to a private copy (fd 3): hostile settings can
  // still find that copy.
  {
    name: 'prints garbage into the report channel and closes it',
    code: `_record()\n_os.write(3, b'\\x00\\xff{garbage')\n_os.close(3)`,
    expect: { reason: /the Django helper gave no report/ },
    maxMs: 8000,
  },
  {
    name: 'prints without end into the report channel',
    code: `_record()\nwhile True:\n    _os.write(3, b'x' * 65536)`,
    expect: { reason: /printed more output than a report can hold/ },
    maxMs: 15000,
  },
  {
    name: 'prints without end',
    code: `_record()\nwhile True:\n    print('x' * 65536)`,
    expect: { reason: /took longer than 3 s/ },
    maxMs: TIMEOUT_MS + 5000,
  },
  {
    name: 'reads stdin',
    code: `_record()\nSECRET = input('secret? ')`,
    expect: { reason: /running the settings failed: EOFError/ },
    maxMs: 8000,
  },
  {
    name: 'starts a subprocess holding stdout open',
    code: `import subprocess\n_p = subprocess.Popen(['sleep', '600'])\n_record(_p.pid)`,
    expect: { ok: true },
    maxMs: 8000,
  },
  {
    name: 'forks',
    code: `_pid = _os.fork()\nif _pid == 0:\n    import time\n    time.sleep(600)\n    _os._exit(0)\n_record(_pid)`,
    expect: { ok: true },
    maxMs: 8000,
  },
  {
    name: 'daemonises (double fork, setsid)',
    code: `_r, _w = _os.pipe()
if _os.fork() == 0:
    _os.setsid()
    _pid = _os.fork()
    if _pid == 0:
        import time
        time.sleep(600)
        _os._exit(0)
    _os.write(_w, str(_pid).encode())
    _os._exit(0)
_record(int(_os.read(_r, 32)))`,
    expect: { ok: true, problem: /started a process \(pid \d+\) that left the helper's process group; it was stopped/ },
    maxMs: 8000,
  },
];

/** A live (not zombie) process. */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live processes whose process group is `group`. */
function groupMembers(group: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .flatMap((n) => {
      try {
        const stat = fs.readFileSync(`/proc/${n}/stat`, 'latin1');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return state !== 'Z' && Number(pgrp) === group ? [Number(n)] : [];
      } catch {
        return [];
      }
    });
}

describe('Django mode: fault injection in the settings module', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach(removeTree));

  for (const fault of FAULTS) {
    it(`${fault.name}: bounded, with a clear outcome, nothing left running`, async () => {
      const dir = makeProject(`INSTALLED_APPS = ['django.contrib.staticfiles']\n${RECORD}${fault.code}\n`);
      dirs.push(dir);
      const started = Date.now();
      const result = await runDjangoMode({
        projectDir: dir,
        managePy: path.join(dir, 'manage.py'),
        settingsModule: 'proj.settings',
        python: DJANGO_PYTHON,
        timeoutMs: TIMEOUT_MS,
      });
      const ms = Date.now() - started;
      assert.ok(ms < fault.maxMs, `took ${ms} ms`);
      if ('reason' in fault.expect) {
        assert.equal(result.ok, false, 'expected a failure');
        assert.match((result as { reason: string }).reason, fault.expect.reason);
      } else {
        assert.equal(result.ok, true, result.ok ? '' : result.reason);
        // The helper runs settings twice at most (manage.py, then django.setup()): any problem is in the model.
        const messages = result.ok ? result.model.problems.map((p) => p.message).join('\n') : '';
        if (fault.expect.problem) assert.match(messages, fault.expect.problem);
        else assert.doesNotMatch(messages, /left the helper's process group/);
      }
      const recorded = fs.existsSync(path.join(dir, 'pids.txt'))
        ? fs.readFileSync(path.join(dir, 'pids.txt'), 'utf8').trim().split('\n')
        : [];
      assert.ok(recorded.length > 0, 'the settings ran');
      // Give SIGKILL a moment to land.
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const line of recorded) {
        const [group, ...pids] = line.split(' ').map(Number);
        assert.deepEqual(groupMembers(group), [], `process group ${group} still has members`);
        for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still runs`);
      }
    });
  }

  it('falls back to static mode with the reason when the helper hangs', async () => {
    const dir = makeProject(
      `INSTALLED_APPS = ['django.contrib.staticfiles']\nSTATICFILES_DIRS = [BASE_DIR / 'assets']\nimport time\ntime.sleep(600)\n`,
    );
    dirs.push(dir);
    const model = await learnProject(dir, { python: DJANGO_PYTHON, timeoutMs: TIMEOUT_MS });
    assert.equal(model.mode, 'static');
    assert.match(model.modeReason, /took longer than 3 s/);
    const finder = model.finders.find((f) => f.kind === 'filesystem');
    assert.ok(finder && finder.kind === 'filesystem' && finder.dirs.length === 1, 'static mode read the settings');
  });
});
