import { UserError } from '../engine/model';
import { ParsedArgs } from './args';

export async function runLsp(_args: ParsedArgs): Promise<number> {
  throw new UserError("'lsp' is not implemented yet.");
}
