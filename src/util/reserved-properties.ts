import { TypedBatchError } from "../errors/typed-batch-error.js";
import { finding } from "../rules/finding.js";
import { fixes, messages } from "../rules/messages.js";

/**
 * `withProperties` of every builder, for JavaScript callers: the keys its type leaves out are the
 * ones a dedicated method owns (and checks), and the builder's own value would replace them, so a
 * `pool identity` passed there used to vanish without a word. Refused with the method to use.
 *
 * @param properties - what the caller passed.
 * @param reserved - each key the type leaves out, and the builder call that sets it.
 */
export function checkedProperties<T>(properties: T, reserved: Readonly<Record<string, string>>): T {
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
    const got = properties === null ? "null" : Array.isArray(properties) ? "an array" : typeof properties;
    throw new TypedBatchError([finding("INVALID_SHAPE", "properties", messages.invalidShape(`withProperties takes an object of the SDK's properties, got ${got}`), fixes.invalidShape.json())]);
  }
  const refused = Object.keys(properties).filter((key) => Object.hasOwn(reserved, key));
  if (refused.length > 0) {
    throw new TypedBatchError(
      refused.map((key) => finding("INVALID_SHAPE", `properties.${key}`, messages.invalidShape(`withProperties does not take '${key}': set it with ${reserved[key]}`), fixes.invalidShape.json())),
    );
  }
  return properties;
}
