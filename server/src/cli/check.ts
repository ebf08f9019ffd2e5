import { UserError } from '../engine/model';
import { ParsedArgs } from './args';

export async function runCheck(_args: ParsedArgs): Promise<number> {
  throw new UserError("'check' is not implemented yet.");
}
