import { UserError } from '../engine/model';
import { ParsedArgs } from './args';

export async function runInfo(_args: ParsedArgs): Promise<number> {
  throw new UserError("'info' is not implemented yet.");
}
