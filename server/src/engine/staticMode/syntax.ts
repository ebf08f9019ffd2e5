/** Helpers over @lezer/python statement nodes: bodies, line numbers, and the names a block assigns. */
import type { SyntaxNode } from '@lezer/common';
import { childNodes, textOf } from './evaluator';

export function handlerMatches(typesText: string, raised: string[]): boolean {
  const names = typesText
    .replace(/[()\s]/g, '')
    .split(',')
    .map((n) => n.split('.').pop()!);
  return names.some((n) => raised.includes(n));
}

export function bodyStatements(body: SyntaxNode): SyntaxNode[] {
  return childNodes(body).filter((c) => c.name !== ':');
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

export function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
  return starts;
}

export function lineAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Names a block assigns or mutates (targets, augmented targets, `X.append(...)` receivers). */
export function assignedNames(block: SyntaxNode, source: string, starts: number[]): { name: string; line: number }[] {
  const found: { name: string; line: number }[] = [];
  const add = (node: SyntaxNode | null) => {
    while (node && (node.name === 'MemberExpression' || node.name === 'CallExpression')) node = node.firstChild;
    if (node && node.name === 'VariableName') found.push({ name: textOf(node, source), line: lineAt(starts, node.from) });
  };
  const visit = (node: SyntaxNode) => {
    for (const child of childNodes(node)) {
      if (child.name === 'AssignStatement') {
        const kids = childNodes(child);
        kids.forEach((kid, i) => {
          if (kids[i + 1]?.name === 'AssignOp' || kids[i + 1]?.name === ',' || kids[i + 1]?.name === 'TypeDef') add(kid);
        });
      } else if (child.name === 'UpdateStatement') add(child.firstChild);
      else if (child.name === 'ExpressionStatement') add(child.firstChild);
      else if (child.name === 'ImportStatement') {
        for (const kid of childNodes(child))
          if (kid.name === 'VariableName') found.push({ name: textOf(kid, source), line: lineAt(starts, kid.from) });
      } else if (child.name === 'FunctionDefinition' || child.name === 'ClassDefinition') {
        add(childNodes(child).find((c) => c.name === 'VariableName') ?? null);
      } else if (child.name === 'Body' || child.name.endsWith('Statement')) visit(child);
    }
  };
  visit(block);
  return found;
}
