import { UserError } from '../engine/model';
import { ParsedArgs } from './args';

export async function runList(_args: ParsedArgs): Promise<number> {
  throw new UserError("'list' is not implemented yet.");
}
