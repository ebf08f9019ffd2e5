/**
 * Loads the engine and the language service from the compiled sources (out/server/src). The service is
 * loaded at run time so the benchmark still measures what exists when a piece has not landed yet.
 */
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { learnProject } from '../../server/src/engine/learn';
import { buildIndex } from '../../server/src/engine/staticIndex';
import { LearnOptions, ProjectModel } from '../../server/src/engine/model';
import { StaticIndexApi } from '../../server/src/engine/indexTypes';
import { DEFAULT_SETTINGS, DjangoStaticSettings } from '../../server/src/protocol';

export { learnProject, buildIndex, DEFAULT_SETTINGS };
export type { ProjectModel, StaticIndexApi, LearnOptions };

/** What a feature needs about the project (mirrors the service's ServiceContext). */
export interface BenchServiceContext {
  model: ProjectModel;
  index: StaticIndexApi;
  settings: DjangoStaticSettings;
}

/** The part of the language service the benchmark drives. */
export interface BenchLanguageService {
  doValidation(doc: TextDocument, ctx: BenchServiceContext): Diagnostic[];
  referencedPaths(doc: TextDocument): string[];
}

interface ServiceModule {
  createLanguageService(): BenchLanguageService;
}

/** The language service, or the reason it cannot be loaded. */
export function loadLanguageService(): { create: () => BenchLanguageService } | { na: string } {
  const modulePath = path.join(__dirname, '..', '..', 'server', 'src', 'service', 'index.js');
  try {
    const mod = require(modulePath) as Partial<ServiceModule>;
    if (typeof mod.createLanguageService !== 'function') return { na: 'service/index.ts has no createLanguageService yet' };
    return { create: () => (mod.createLanguageService as () => BenchLanguageService)() };
  } catch (err) {
    return { na: `language service not available (${(err as Error).message.split('\n')[0]})` };
  }
}

export function benchSettings(mode: 'static' | 'django'): DjangoStaticSettings {
  return { ...DEFAULT_SETTINGS, mode };
}
