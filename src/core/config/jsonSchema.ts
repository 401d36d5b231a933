/**
 * The JSON Schema of tidemark.json for editors (written to dist/tidemark.schema.json by
 * esbuild.mjs), generated from the zod schema and completed with what zod cannot express:
 * the rules of crossKeyIssues() and VS Code's own keywords.
 */
import * as z from 'zod';
import { PRESET_KEY, presetJsonSchemaProperty } from '../presets';
import { MAX_METRICS, configSchema } from './schema';

type JsonSchema = Record<string, unknown>;

export function configJsonSchema(): object {
  // io 'input': keys with a default are optional in the file, which is what an editor checks.
  const schema = z.toJSONSchema(configSchema, { target: 'draft-07', io: 'input', unrepresentable: 'throw' }) as JsonSchema;
  dropUnboundedMaximum(schema);
  // VS Code opens tidemark.json as plain JSON; these keywords make it accept comments like Tidemark does.
  schema.allowComments = true;
  schema.allowTrailingCommas = false;

  const properties = schema.properties as Record<string, JsonSchema>;
  const metrics = properties.metrics;
  metrics.minProperties = 1;
  metrics.maxProperties = MAX_METRICS;
  (metrics.propertyNames as JsonSchema).patternErrorMessage = 'A metric id uses only lowercase letters a-z, digits 0-9 and "-".';

  const metric = metrics.additionalProperties as JsonSchema;
  // A metric naming a preset needs no other key: "type" and "command" are required only without "$ref".
  (metric.properties as Record<string, JsonSchema>)[PRESET_KEY] = presetJsonSchemaProperty();
  const required = metric.required;
  delete metric.required;
  metric.allOf = [
    { if: { not: { required: [PRESET_KEY] } }, then: { required } },
    {
      if: { properties: { type: { const: 'label' } }, required: ['type'] },
      then: {
        properties: {
          unit: { not: {}, errorMessage: 'A label metric must not have a "unit" (units are only for numeric metrics).' },
          direction: { not: {}, errorMessage: 'A label metric must not have a "direction".' },
          thresholds: { not: {}, errorMessage: 'A label metric cannot have "thresholds" (rules only apply to numbers).' },
        },
      },
    },
  ];
  return schema;
}

/** zod writes Number.MAX_SAFE_INTEGER as the maximum of any integer; it only clutters hovers. */
function dropUnboundedMaximum(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const record = node as JsonSchema;
  if (record.maximum === Number.MAX_SAFE_INTEGER) delete record.maximum;
  if (record.minimum === Number.MIN_SAFE_INTEGER) delete record.minimum;
  for (const value of Object.values(record)) dropUnboundedMaximum(value);
}
