/** Summarises V8 .cpuprofile files: the functions with the most self time, to name the hot spot. */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  /** Microseconds before each sample. */
  timeDeltas?: number[];
}

export interface HotFunction {
  name: string;
  location: string;
  selfMs: number;
  share: number;
}

/** Top `limit` functions by self time across every .cpuprofile in `dir`. */
export function summarizeProfiles(dir: string, limit = 8, window?: TimeWindow): HotFunction[] {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  return summarize(
    files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CpuProfile),
    limit,
    window,
  );
}

/** Monotonic-clock microseconds (process.hrtime, the clock V8 profiles use on Linux). */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Profiles `action` in this process through the inspector, then summarises it like a .cpuprofile. */
export async function profileInProcess(action: () => Promise<void>, limit = 8): Promise<HotFunction[]> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
    await action();
    const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
    return summarize([profile], limit);
  } finally {
    session.disconnect();
  }
}

function summarize(profiles: CpuProfile[], limit: number, window?: TimeWindow): HotFunction[] {
  const selfMs = new Map<string, { name: string; location: string; ms: number }>();
  let totalMs = 0;
  for (const profile of profiles) {
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    // Self time per node from the sample timeline (each sample's delta goes to the node it hit).
    const nodeMs = new Map<number, number>();
    let at = profile.startTime;
    for (let i = 0; i < samples.length; i++) {
      at += deltas[i] ?? 0;
      if (window && (at < window.fromUs || at > window.toUs)) continue;
      nodeMs.set(samples[i], (nodeMs.get(samples[i]) ?? 0) + (deltas[i] ?? 0) / 1000);
    }
    for (const node of profile.nodes) {
      const { functionName, url, lineNumber } = node.callFrame;
      if (['(idle)', '(program)', '(root)'].includes(functionName)) continue;
      const ms = nodeMs.get(node.id) ?? 0;
      if (ms === 0) continue;
      const location = url ? `${path.basename(url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '(native)';
      const key = `${functionName}@${location}`;
      const entry = selfMs.get(key) ?? { name: functionName || '(anonymous)', location, ms: 0 };
      entry.ms += ms;
      selfMs.set(key, entry);
      totalMs += ms;
    }
  }
  return [...selfMs.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit)
    .map((e) => ({ name: e.name, location: e.location, selfMs: e.ms, share: totalMs ? e.ms / totalMs : 0 }));
}
