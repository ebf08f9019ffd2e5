/**
 * The rewrite of `STATICFILES_STORAGE = X` into STORAGES, as django-upgrade does it: the storage moves to
 * `STORAGES['staticfiles']` and a `default` entry is kept (DEFAULT_FILE_STORAGE's value when the same file sets
 * it, else Django's default), so Django 4.2 (no deprecation warning) and 5.1+ (which no longer reads the old
 * setting) build the same storages. The expression is kept as written (an env lookup stays one).
 */
import * as fs from 'node:fs';
import type { SettingsSource } from './staticMode/settingsSource';

/** Replace lines [startLine, endLine] (0-based, inclusive) of `file` with `newText` (which ends with a newline). */
export interface SettingsFix {
  title: string;
  file: string;
  startLine: number;
  endLine: number;
  newText: string;
}

const DEFAULT_FILE_STORAGE = "'django.core.files.storage.FileSystemStorage'";

/** The fix for the STATICFILES_STORAGE statement, or null when it cannot be rewritten safely. */
export function staticfilesStorageFix(source: SettingsSource): SettingsFix | null {
  const legacy = source.binding('STATICFILES_STORAGE');
  if (!legacy) return null;
  const lines = readLines(legacy.file);
  if (!lines) return null;
  const statement = statementAt(lines, legacy.line, 'STATICFILES_STORAGE');
  if (!statement) return null;
  const indent = /^\s*/.exec(lines[legacy.line])![0];
  // Only a module-level statement is rewritten: inside an `if`, the new STORAGES would not always be set.
  if (indent !== '') return null;
  const storages = source.binding('STORAGES');
  let newText: string;
  if (storages) {
    // STORAGES set earlier (a base file, or above in this one) keeps its entries; set later, it would win.
    if (storages.file === legacy.file && storages.line > legacy.line) return null;
    newText = `STORAGES = {\n    **STORAGES,\n    "staticfiles": {\n        "BACKEND": ${statement.value},\n    },\n}\n`;
  } else {
    const defaultFile = source.binding('DEFAULT_FILE_STORAGE');
    const defaultStatement =
      defaultFile && defaultFile.file === legacy.file ? statementAt(lines, defaultFile.line, 'DEFAULT_FILE_STORAGE') : null;
    newText = `STORAGES = {\n    "default": {\n        "BACKEND": ${defaultStatement?.value ?? DEFAULT_FILE_STORAGE},\n    },\n    "staticfiles": {\n        "BACKEND": ${statement.value},\n    },\n}\n`;
  }
  return {
    title: 'Rewrite STATICFILES_STORAGE into STORAGES',
    file: legacy.file,
    startLine: legacy.line,
    endLine: statement.endLine,
    newText,
  };
}

/** `NAME = value` starting on `line`, through the line its brackets close on; null for anything else. */
function statementAt(lines: string[], line: number, name: string): { value: string; endLine: number } | null {
  const match = new RegExp(`^\\s*${name}\\s*=\\s*(.*)$`).exec(lines[line] ?? '');
  if (!match) return null;
  const parts = [match[1]];
  let depth = bracketDepth(match[1]);
  let end = line;
  while (depth > 0 && end + 1 < lines.length && end - line < 50) {
    end++;
    parts.push(lines[end]);
    depth += bracketDepth(lines[end]);
  }
  const value = parts
    .join('\n')
    .replace(/\s*#[^'"\n]*$/, '')
    .trim();
  if (depth !== 0 || value === '' || value.endsWith('\\') || /[;]/.test(value)) return null;
  return { value, endLine: end };
}

function bracketDepth(text: string): number {
  const code = text.replace(/'[^']*'|"[^"]*"/g, '');
  return (code.match(/[([{]/g)?.length ?? 0) - (code.match(/[)\]}]/g)?.length ?? 0);
}

function readLines(file: string): string[] | null {
  try {
    return fs.readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    return null;
  }
}
