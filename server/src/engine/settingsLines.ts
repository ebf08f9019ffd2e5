/** Turns a settings statement's line (and an entry quoted inside it) into a range: shared by checks and lenses. */
import * as fs from 'node:fs';
import type { SourceSpot } from './staticMode/values';

/** How many lines past a statement's first one an entry is looked for (a long MIDDLEWARE list). */
const MAX_STATEMENT_LINES = 200;

/** Settings files' lines, read once per check run (checks and lenses may share one), to turn a statement line into a range. */
export class LineCache {
  private readonly files = new Map<string, { text: string | null; lines: string[] | null }>();

  /** The statement's line without its indentation; with `needle`, the quoted entry inside the statement. */
  range(spot: SourceSpot, needle?: string): { line: number; startCharacter: number; endCharacter: number } {
    const lines = this.lines(spot.file);
    const text = lines?.[spot.line] ?? '';
    if (needle && lines) {
      let depth = 0;
      for (let i = spot.line; i < Math.min(lines.length, spot.line + MAX_STATEMENT_LINES); i++) {
        for (const quote of ["'", '"']) {
          const at = lines[i].indexOf(`${quote}${needle}${quote}`);
          if (at >= 0) return { line: i, startCharacter: at, endCharacter: at + needle.length + 2 };
        }
        depth += (lines[i].match(/[([{]/g)?.length ?? 0) - (lines[i].match(/[)\]}]/g)?.length ?? 0);
        if (depth <= 0 && i > spot.line) break;
      }
    }
    const start = text.length - text.trimStart().length;
    return { line: spot.line, startCharacter: start, endCharacter: Math.max(start, text.trimEnd().length) };
  }

  /** The file's text as this cache read it (what its ranges refer to), or null when it could not be read. */
  text(file: string): string | null {
    return this.read(file).text;
  }

  private lines(file: string): string[] | null {
    return this.read(file).lines;
  }

  private read(file: string): { text: string | null; lines: string[] | null } {
    let read = this.files.get(file);
    if (!read) {
      read = { text: null, lines: null };
      try {
        const text = fs.readFileSync(file, 'utf8');
        read = { text, lines: text.split(/\r?\n/) };
      } catch {
        // An unreadable file still gets its finding, on column 0.
      }
      this.files.set(file, read);
    }
    return read;
  }
}
