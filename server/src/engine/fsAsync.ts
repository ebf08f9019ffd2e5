/**
 * The promise-returning file calls of the start-up, over node's callback API. The first use of
 * `fs.promises` loads node's promises module and readline with it (5-10 ms of a cold start, all before the
 * first answer); these resolve and reject as the `fs.promises` calls do.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';

export const fsAsync = {
  access: promisify(fs.access),
  lstat: promisify(fs.lstat),
  readdir: promisify(fs.readdir),
  readFile: promisify(fs.readFile),
  stat: promisify(fs.stat),
};
