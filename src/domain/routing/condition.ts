/**
 * Profile conditions are JsonLogic, evaluated with json-logic-js semantics. `jsonLogic.apply` re-interprets the
 * rule tree on every call (~1 µs per profile per order); routing evaluates the same few rules for every order,
 * so each rule is compiled once into closures (cached per rule object). The compiler mirrors json-logic-js 2.0
 * for the operations conditions use (var, comparisons, !, !!, and, or, in, if, some/all/none); any other
 * operation is delegated to `jsonLogic.apply` for that subtree, so results are identical by construction
 * (a property test checks it against jsonLogic.apply).
 *
 * The dashboard builds conditions with react-querybuilder, whose JsonLogic export adds two operations
 * (`startsWith`, `endsWith` for "begins with" / "ends with"); they are registered with json-logic-js here, from
 * react-querybuilder's own definitions, so the server evaluates them exactly as the builder means them.
 */
import { jsonLogicAdditionalOperators } from '@react-querybuilder/core';
import jsonLogic from 'json-logic-js';
import type { JsonLogicRule } from './types.ts';

/** Operations beyond json-logic-js's own that conditions may use (the builder's). */
export const EXTRA_OPERATIONS: Readonly<Record<string, (a: unknown, b: unknown) => boolean>> = jsonLogicAdditionalOperators as never;
for (const [name, fn] of Object.entries(EXTRA_OPERATIONS)) jsonLogic.add_operation(name, fn);

type Compiled = (data: unknown) => unknown;

const cache = new WeakMap<object, Compiled>();

/** True when the rule holds for `facts` (JsonLogic truthiness: an empty array is false). */
export function evaluateCondition(rule: JsonLogicRule, facts: unknown): boolean {
  if (typeof rule !== 'object' || rule === null) return jsonLogic.truthy(rule);
  let f = cache.get(rule);
  if (f === undefined) cache.set(rule, (f = compile(rule)));
  return jsonLogic.truthy(f(facts));
}

const truthy = (v: unknown): boolean => !(Array.isArray(v) && v.length === 0) && !!v;

function isLogic(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length === 1;
}

function compile(logic: unknown): Compiled {
  if (Array.isArray(logic)) {
    const parts = logic.map(compile);
    return (d) => parts.map((p) => p(d));
  }
  if (!isLogic(logic)) return () => logic;
  const op = Object.keys(logic)[0]!;
  const raw = logic[op];
  const values: unknown[] = Array.isArray(raw) ? raw : [raw];
  const fallback: Compiled = (d) => jsonLogic.apply(logic as never, d);

  switch (op) {
    case 'var': {
      const [path, dflt] = values;
      if (isLogic(path) || Array.isArray(path) || isLogic(dflt) || Array.isArray(dflt)) return fallback;
      const notFound = dflt === undefined ? null : dflt;
      if (path === undefined || path === '' || path === null) return (d) => d;
      const keys = String(path).split('.');
      return (d) => {
        let x: any = d;
        for (const k of keys) {
          if (x === null || x === undefined) return notFound;
          x = x[k];
          if (x === undefined) return notFound;
        }
        return x;
      };
    }
    case 'and':
    case 'or': {
      const parts = values.map(compile);
      const isAnd = op === 'and';
      return (d) => {
        let current: unknown;
        for (const p of parts) {
          current = p(d);
          if (truthy(current) !== isAnd) return current;
        }
        return current;
      };
    }
    case 'if':
    case '?:': {
      const parts = values.map(compile);
      return (d) => {
        let i = 0;
        for (; i < parts.length - 1; i += 2) if (truthy(parts[i]!(d))) return parts[i + 1]!(d);
        return parts.length === i + 1 ? parts[i]!(d) : null;
      };
    }
    case 'some':
    case 'all':
    case 'none': {
      const scope = compile(values[0]);
      const test = compile(values[1]);
      return (d) => {
        const items = scope(d);
        if (!Array.isArray(items) || items.length === 0) return op === 'none';
        for (const item of items) {
          const t = truthy(test(item));
          if (op === 'some' && t) return true;
          if (op === 'all' && !t) return false;
          if (op === 'none' && t) return false;
        }
        return op !== 'some';
      };
    }
  }

  const args = values.map(compile);
  const a = args[0] ?? (() => undefined);
  const b = args[1] ?? (() => undefined);
  switch (op) {
    case '==':
      return (d) => a(d) == b(d);
    case '===':
      return (d) => a(d) === b(d);
    case '!=':
      return (d) => a(d) != b(d);
    case '!==':
      return (d) => a(d) !== b(d);
    case '>':
      return (d) => (a(d) as number) > (b(d) as number);
    case '>=':
      return (d) => (a(d) as number) >= (b(d) as number);
    case '<':
    case '<=': {
      const c = args[2];
      const lt = op === '<';
      return (d) => {
        const x = a(d) as number;
        const y = b(d) as number;
        if (c === undefined) return lt ? x < y : x <= y;
        const z = c(d) as number;
        return lt ? x < y && y < z : x <= y && y <= z;
      };
    }
    case '!':
      return (d) => !truthy(a(d));
    case '!!':
      return (d) => truthy(a(d));
    case 'startsWith':
    case 'endsWith': {
      const fn = EXTRA_OPERATIONS[op]!;
      return (d) => fn(a(d), b(d));
    }
    case 'in':
      return (d) => {
        const needle = a(d);
        const hay = b(d) as { indexOf?: (x: unknown) => number } | null | undefined;
        if (!hay || typeof hay.indexOf === 'undefined') return false;
        return hay.indexOf(needle) !== -1;
      };
    default:
      return fallback;
  }
}
