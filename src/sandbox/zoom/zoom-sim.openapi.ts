import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ZOOM_SPEC_RELAXATIONS } from './zoom-sim.openapi.relaxations';

export { ZOOM_SPEC_RELAXATIONS, type SpecRelaxation } from './zoom-sim.openapi.relaxations';

/**
 * Validation against Zoom's Swagger 2.0 description (`openapi.v2.json` beside this file, Zoom's
 * MIT-licensed `zoom/api` spec of 2021). Operations are looked up by method and path template
 * (`/users/{userId}/meetings`, with or without `/v2`; parameter names may differ). Each schema is
 * dereferenced, Swagger's `x-nullable` becomes a JSON-Schema null type, and the named relaxations
 * below replace exactly the properties where today's Zoom differs from the 2021 file — nothing
 * else is loosened. Error bodies (the spec defines none) are checked against the shape of Zoom's
 * generic errors, `ZOOM_ERROR_BODY_SCHEMA`.
 */
type Schema = Record<string, unknown>;

/** Zoom's generic error body: `{code, message[, errors[{field, message}]]}`. */
export const ZOOM_ERROR_BODY_SCHEMA: Schema = {
  type: 'object',
  required: ['code', 'message'],
  additionalProperties: false,
  properties: {
    code: { type: 'integer' },
    message: { type: 'string', minLength: 1 },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

export interface ZoomValidationResult {
  valid: boolean;
  errors: string[];
  operationId: string | null;
  /** Names of the relaxations applied to the schema used. */
  relaxations: string[];
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, Schema>;
}
interface Operation {
  operationId?: string;
  parameters?: Array<{ in?: string; schema?: Schema; required?: boolean; $ref?: string }>;
  responses?: Record<string, { schema?: Schema }>;
}

let spec: Spec | null = null;
const compiled = new Map<string, { validate: ValidateFunction; relaxations: string[] }>();
const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
for (const name of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'string'])
  ajv.addFormat(name, true);

function loadSpec(): Spec {
  spec ??= JSON.parse(fs.readFileSync(path.join(__dirname, 'openapi.v2.json'), 'utf8')) as Spec;
  return spec;
}

const shape = (p: string) => p.replace(/^\/v2(?=\/)/, '').replace(/\{[^}]+\}/g, '{}');

function findOperation(method: string, template: string): Operation | null {
  const wanted = shape(template);
  const paths = loadSpec().paths;
  const key = Object.keys(paths).find((p) => shape(p) === wanted);
  return key ? (paths[key]?.[method.toLowerCase()] ?? null) : null;
}

/** Inlines `#/definitions/…` references and turns `x-nullable` into a null type. */
function deref(node: unknown, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => deref(n, seen));
  if (typeof node !== 'object' || node === null) return node;
  const obj = node as Schema;
  if (typeof obj.$ref === 'string') {
    const name = obj.$ref.replace('#/definitions/', '');
    if (seen.includes(name)) return {};
    return deref(loadSpec().definitions[name], [...seen, name]);
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(obj)) out[k] = deref(v, seen);
  if (out['x-nullable'] === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

function patchAt(node: unknown, at: string[], replacement: Schema): boolean {
  if (typeof node !== 'object' || node === null) return false;
  const obj = node as Schema;
  let applied = false;
  for (const member of (obj.allOf as unknown[] | undefined) ?? [])
    applied = patchAt(member, at, replacement) || applied;
  const [head, ...rest] = at;
  if (head === '[]') return patchAt(obj.items, rest, replacement) || applied;
  const props = obj.properties as Record<string, unknown> | undefined;
  if (head !== undefined && props?.[head] !== undefined) {
    if (rest.length === 0) {
      props[head] = { ...replacement };
      return true;
    }
    return patchAt(props[head], rest, replacement) || applied;
  }
  return applied;
}

function compile(key: string, operationId: string, direction: 'request' | 'response', raw: Schema) {
  const cached = compiled.get(key);
  if (cached) return cached;
  const schema = deref(raw) as Schema;
  const relaxations = ZOOM_SPEC_RELAXATIONS.filter(
    (r) => r.direction === direction && r.operations.includes(operationId),
  )
    .filter((r) => patchAt(schema, r.at, r.schema))
    .map((r) => r.name);
  const entry = { validate: ajv.compile(schema), relaxations };
  compiled.set(key, entry);
  return entry;
}

function run(
  entry: { validate: ValidateFunction; relaxations: string[] },
  operationId: string,
  body: unknown,
): ZoomValidationResult {
  const valid = entry.validate(body) === true;
  const errors = valid
    ? []
    : (entry.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  return { valid, errors, operationId, relaxations: entry.relaxations };
}

const fail = (message: string, operationId: string | null = null): ZoomValidationResult => ({
  valid: false,
  errors: [message],
  operationId,
  relaxations: [],
});
const isEmpty = (body: unknown) =>
  body === undefined ||
  body === null ||
  body === '' ||
  (typeof body === 'object' && Object.keys(body).length === 0);

/** Validates a request body the client is about to send. */
export function validateZoomRequest(
  method: string,
  pathTemplate: string,
  body: unknown,
): ZoomValidationResult {
  const op = findOperation(method, pathTemplate);
  if (!op) return fail(`No operation ${method.toUpperCase()} ${pathTemplate} in the spec.`);
  const operationId = op.operationId ?? `${method} ${pathTemplate}`;
  const param = (op.parameters ?? []).find((p) => p.in === 'body');
  if (!param?.schema)
    return isEmpty(body)
      ? run({ validate: ajv.compile({}), relaxations: [] }, operationId, body)
      : fail('This operation takes no body.', operationId);
  if (body === undefined && param.required) return fail('The body is required.', operationId);
  return run(compile(`req|${operationId}`, operationId, 'request', param.schema), operationId, body);
}

/** Validates a response status and body (error statuses against Zoom's error shape). */
export function validateZoomResponse(
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): ZoomValidationResult {
  const op = findOperation(method, pathTemplate);
  if (!op) return fail(`No operation ${method.toUpperCase()} ${pathTemplate} in the spec.`);
  const operationId = op.operationId ?? `${method} ${pathTemplate}`;
  const response = op.responses?.[String(status)];
  if (status >= 400 && !response?.schema) {
    return run(compile('error-body', 'error', 'response', ZOOM_ERROR_BODY_SCHEMA), operationId, body);
  }
  if (!response) return fail(`Status ${status} is not documented for ${operationId}.`, operationId);
  if (!response.schema)
    return isEmpty(body)
      ? { valid: true, errors: [], operationId, relaxations: [] }
      : fail(`Status ${status} has no body.`, operationId);
  return run(
    compile(`res|${operationId}|${status}`, operationId, 'response', response.schema),
    operationId,
    body,
  );
}
