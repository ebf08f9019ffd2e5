/** Summarises V8 .cpuprofile files: the functions with the most self time, to name the hot spot. */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface HotFunction {
  name: string;
  location: string;
  selfMs: number;
  share: number;
}

/** Top `limit` functions by self time across every .cpuprofile in `dir`. */
export function summarizeProfiles(dir: string, limit = 8): HotFunction[] {
  const selfMs = new Map<string, { name: string; location: string; ms: number }>();
  let totalMs = 0;
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!file.endsWith('.cpuprofile')) continue;
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const samples = profile.samples?.length ?? 0;
    if (samples === 0) continue;
    const msPerSample = (profile.endTime - profile.startTime) / 1000 / samples;
    for (const node of profile.nodes) {
      const { functionName, url, lineNumber } = node.callFrame;
      if (['(idle)', '(program)', '(root)'].includes(functionName)) continue;
      const ms = (node.hitCount ?? 0) * msPerSample;
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
