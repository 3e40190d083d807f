/**
 * What a routing profile's "applies when" can test: the facts `profileFacts` builds from an order
 * (src/domain/routing/profile.ts), as react-querybuilder fields, each with only the operators that make sense
 * for it. Shared by the dashboard's condition builder and the test that proves every condition the builder can
 * produce is accepted by the profile API and evaluates as meant on the server.
 */
import type { FullField, FullOperator } from '@react-querybuilder/core';

export const SERVICE_LEVELS = ['standard', 'express', 'next_day'] as const;

const op = (name: string, label: string): FullOperator => ({ name, value: name, label });
const EQUALITY = [op('=', 'is'), op('!=', 'is not'), op('in', 'is one of'), op('notIn', 'is not one of')];
const NUMERIC = [op('=', '='), op('!=', '≠'), op('<', '<'), op('<=', '≤'), op('>', '>'), op('>=', '≥'), op('between', 'between'), op('notBetween', 'not between')];
const TEXT = [...EQUALITY, op('beginsWith', 'begins with'), op('doesNotBeginWith', 'does not begin with'), op('endsWith', 'ends with'), op('null', 'is unknown'), op('notNull', 'is known')];

/** The condition fields; `channels` are the channel codes offered in the channel field's list. */
export function conditionFields(channels: readonly string[]): FullField[] {
  const list = (xs: readonly string[]) => xs.map((x) => ({ name: x, value: x, label: x }));
  /** a list to pick from: several values for "is one of" / "is not one of" */
  const pick = (operator: string) => (operator === 'in' || operator === 'notIn' ? 'multiselect' : 'select');
  const fields: Array<Omit<FullField, 'value'>> = [
    { name: 'channel', label: 'Channel', valueEditorType: pick, values: list(channels), defaultValue: channels[0] ?? '', operators: EQUALITY },
    { name: 'serviceLevel', label: 'Service level', valueEditorType: pick, values: list(SERVICE_LEVELS), defaultValue: 'standard', operators: EQUALITY },
    { name: 'country', label: 'Destination country', placeholder: 'ISO code, e.g. GB', operators: EQUALITY },
    { name: 'postcode', label: 'Destination postcode', placeholder: 'e.g. SW1 or 100', operators: TEXT },
    { name: 'tags', label: 'Order tags', placeholder: 'a tag, e.g. vip', operators: [op('contains', 'include'), op('doesNotContain', 'do not include')] },
    { name: 'orderValueMinor', label: 'Order value (minor units)', inputType: 'number', operators: NUMERIC },
    { name: 'currency', label: 'Order currency', placeholder: 'e.g. USD', operators: EQUALITY },
    { name: 'lineCount', label: 'Number of lines', inputType: 'number', operators: NUMERIC },
    { name: 'units', label: 'Number of units', inputType: 'number', operators: NUMERIC },
    { name: 'hasHazmat', label: 'Has hazmat lines', valueEditorType: 'checkbox', defaultValue: true, operators: [op('=', 'is')] },
  ];
  return fields.map((f) => ({ ...f, value: f.name }) as FullField);
}

/**
 * react-querybuilder's JsonLogic export options: values of the number fields as numbers (the facts hold
 * numbers, and JsonLogic's `>` on a string compares text). Not `parseNumbers: true`, which turns every
 * numeric-looking value into a number: a postcode prefix "02" would become 2 and never match "02110";
 * the "-limited" form parses only fields whose inputType is number.
 */
export const JSONLOGIC_OPTIONS = { format: 'jsonlogic', parseNumbers: 'strict-limited' } as const;
