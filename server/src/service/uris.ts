/**
 * Parsed document URIs, remembered: a workspace check asks for each template's path from its URI about eight
 * times (the project it belongs to, its settings share, its engine, its reading, its record), and each
 * `URI.parse` runs a regex and builds an object, which a cold JIT pays in full. URIs are immutable values,
 * so a parsed one can be handed out again.
 */
import { URI } from 'vscode-uri';

/** Kept at most; the asks for one document come together, so dropping them all when full still hits. */
const REMEMBERED = 1024;
const parsed = new Map<string, URI>();

/** `URI.parse(uri)`, from memory when it was parsed lately; throws as URI.parse does. */
export function parseUri(uri: string): URI {
  let found = parsed.get(uri);
  if (!found) {
    found = URI.parse(uri);
    if (parsed.size >= REMEMBERED) parsed.clear();
    parsed.set(uri, found);
  }
  return found;
}
