// Typed access to the `djangoStatic.*` settings; everything else reads settings through here.
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, DjangoStaticSettings, SeveritySetting } from '../../server/src/protocol';

export const SECTION = 'djangoStatic';

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

/** The settings for a resource (file or folder), with defaults for anything unset or of the wrong type. */
export function readSettings(scope?: vscode.ConfigurationScope): DjangoStaticSettings {
  // Resource-scoped settings: default to the first folder (null = any resource when there is none).
  const c = vscode.workspace.getConfiguration(SECTION, scope ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? null);
  return {
    pythonPath: str(c.get('pythonPath'), DEFAULT_SETTINGS.pythonPath),
    mode: oneOf(c.get('mode'), ['auto', 'django', 'static'] as const, DEFAULT_SETTINGS.mode),
    settingsModule: str(c.get('settingsModule'), DEFAULT_SETTINGS.settingsModule),
    // `project` was `managePyPath` (a title users could not read); the old key still counts when the new one is empty.
    managePyPath: str(c.get('project'), '') || str(c.get('managePyPath'), DEFAULT_SETTINGS.managePyPath),
    env: stringRecord(c.get('env')),
    templateGlobs: stringArray(c.get('templateGlobs'), DEFAULT_SETTINGS.templateGlobs),
    ignoreGlobs: stringArray(c.get('ignoreGlobs'), DEFAULT_SETTINGS.ignoreGlobs),
    severity: severityRecord(c.get('severity')),
    timeoutSeconds: positive(c.get('timeoutSeconds'), DEFAULT_SETTINGS.timeoutSeconds),
  };
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function stringArray(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [...fallback];
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function severityRecord(value: unknown): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (SEVERITIES.includes(v as SeveritySetting)) out[k] = v as SeveritySetting;
  }
  return out;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
