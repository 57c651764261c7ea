/**
 * Terraform's loader does not check that a reference names something declared (that needs the
 * provider schema, i.e. `terraform validate`). This does, statically, on the synthesized JSON: every
 * `${...}` expression may only reference resources, data sources, variables, locals and modules the
 * stack declares.
 */

type Blocks = Record<string, Record<string, unknown>>;
export interface TerraformJson {
  resource?: Blocks;
  data?: Blocks;
  variable?: Record<string, unknown>;
  locals?: Record<string, unknown>;
  module?: Record<string, unknown>;
}

/** Symbols Terraform itself provides inside expressions. */
const BUILT_IN_ROOTS = new Set(["each", "count", "self", "path", "terraform"]);

/** Every `${...}` expression in a string, with nested braces (`${jsonencode({a = 1})}`) kept whole. */
export function interpolations(text: string): string[] {
  const found: string[] = [];
  for (let start = text.indexOf("${"); start !== -1; start = text.indexOf("${", start + 2)) {
    if (start > 0 && text[start - 1] === "$") continue; // `$${` is an escaped literal
    let depth = 0;
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) {
        found.push(text.slice(start + 2, i));
        start = i - 1;
        break;
      }
    }
  }
  return found;
}

/** Addresses an expression references: `google_x.name`, `data.google_y.name`, `var.v`, `local.l`, `module.m`. */
export function referencedAddresses(expression: string): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""'); // string literals are not references
  const addresses: string[] = [];
  for (const m of code.matchAll(/(?<![\w.\]-])([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?/g)) {
    const [, root, second, third] = m;
    if (BUILT_IN_ROOTS.has(root)) continue;
    if (root === "var" || root === "local" || root === "module") addresses.push(`${root}.${second}`);
    else if (root === "data") addresses.push(third ? `data.${second}.${third}` : `data.${second}`);
    else addresses.push(`${root}.${second}`);
  }
  return addresses;
}

function declaredAddresses(tf: TerraformJson): Set<string> {
  const declared = new Set<string>();
  for (const [type, byName] of Object.entries(tf.resource ?? {})) for (const name of Object.keys(byName)) declared.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(tf.data ?? {})) for (const name of Object.keys(byName)) declared.add(`data.${type}.${name}`);
  for (const name of Object.keys(tf.variable ?? {})) declared.add(`var.${name}`);
  for (const name of Object.keys(tf.locals ?? {})) declared.add(`local.${name}`);
  for (const name of Object.keys(tf.module ?? {})) declared.add(`module.${name}`);
  return declared;
}

/** Every string in a JSON value with the JSON path it sits at. */
function* stringsIn(value: unknown, at: string): Generator<[string, string]> {
  if (typeof value === "string") yield [at, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* stringsIn(v, `${at}[${i}]`);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) if (k !== "//") yield* stringsIn(v, at ? `${at}.${k}` : k);
}

/** `"<json path>: <address>"` for each reference to something the stack does not declare (empty = all resolve). */
export function undeclaredReferences(tf: TerraformJson): string[] {
  const declared = declaredAddresses(tf);
  const problems: string[] = [];
  for (const [at, text] of stringsIn(tf, "")) {
    for (const expression of interpolations(text))
      for (const address of referencedAddresses(expression)) if (!declared.has(address)) problems.push(`${at}: ${address}`);
  }
  // depends_on holds bare addresses, not interpolations
  for (const section of ["resource", "data"] as const)
    for (const [type, byName] of Object.entries(tf[section] ?? {}))
      for (const [name, body] of Object.entries(byName)) {
        const dependsOn = (body as { depends_on?: unknown }).depends_on;
        if (!Array.isArray(dependsOn)) continue;
        for (const dep of dependsOn)
          if (typeof dep === "string" && !dep.includes("${") && !declared.has(dep)) problems.push(`${section}.${type}.${name}.depends_on: ${dep}`);
      }
  return problems;
}
