import { UserError } from '../engine/model';
import { ParsedArgs } from './args';

export async function runFind(_args: ParsedArgs): Promise<number> {
  throw new UserError("'find' is not implemented yet.");
}
