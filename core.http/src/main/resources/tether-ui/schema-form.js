// Form fields generated from a connector type's JSON Schema (GET /metadata/connections/{typ}): strings, numbers,
// booleans, enums, secrets (writeOnly, or a secret-looking name) as password inputs, nested objects as fieldsets,
// arrays and free-form objects as JSON text. An empty field is left out of the props (the connector's default applies).

/** What the API shows in place of a stored secret; sent back in an update, it keeps the stored value. */
export const MASK = '******';
const SECRET_NAME = /passw|pwd|secret|token|api[-_]?key|privatekey|credential/i;

export class FormError extends Error {}

/** The part of a type's schema that describes a connection's props. */
export function connectionPart(schema) {
  const connection = schema && schema.properties && schema.properties.connection;
  return connection && typeof connection === 'object' ? connection : schema || {};
}

function resolve(node, root, depth = 0) {
  if (!node || typeof node !== 'object' || typeof node.$ref !== 'string' || depth > 16) {
    return node || {};
  }
  let target = root;
  if (!node.$ref.startsWith('#/')) {
    return node;
  }
  for (const part of node.$ref.slice(2).split('/')) {
    target = target && target[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))];
  }
  const { $ref, ...local } = node;
  return { ...resolve(target, root, depth + 1), ...local };
}

function kindOf(node) {
  if (Array.isArray(node.enum)) return 'enum';
  const types = [].concat(node.type || []);
  const main = types.find((t) => t !== 'string' && t !== 'null') || types[0];
  if (main === 'object') return node.properties ? 'object' : 'json';
  if (main === 'array') return 'json';
  if (main === 'boolean' || main === 'integer' || main === 'number' || main === 'string') return main;
  return 'any';
}

function element(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === true) e.setAttribute(k, '');
    else if (v !== false && v !== undefined && v !== null) e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

function text(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One field (or fieldset) of a prop; read() gives its value or undefined when left empty. */
function field(name, path, rawNode, root, required) {
  const node = resolve(rawNode, root);
  const kind = kindOf(node);
  const id = `prop-${path.join('.')}`;
  const hintText = [node.description, node.default !== undefined ? `default: ${text(node.default)}` : '']
    .filter(Boolean).join(' · ');
  const caption = [name];
  if (required) caption.push(element('span', { class: 'required', title: 'required' }, ' *'));
  const hint = hintText ? element('span', { class: 'hint' }, hintText) : '';

  if (kind === 'object') {
    const children = fieldsOf(node, root, path);
    const box = element('fieldset', { 'data-prop': path.join('.') }, element('legend', {}, ...caption));
    if (hint) box.append(hint);
    children.forEach((c) => box.append(c.element));
    return {
      name, element: box,
      read: () => collect(children),
      fill: (value) => spread(children, value && typeof value === 'object' ? value : {}),
    };
  }

  let input;
  let stored = false;
  const secret = kind !== 'json' && (node.writeOnly === true || SECRET_NAME.test(name));
  if (kind === 'enum' || kind === 'boolean') {
    const values = kind === 'boolean' ? [true, false] : unique(node.enum);
    input = element('select', { id, name: path.join('.') },
      element('option', { value: '' }, node.default !== undefined ? `(default: ${text(node.default)})` : '(not set)'));
    values.forEach((v, i) => input.append(element('option', { value: String(i) }, text(v))));
    input.choices = values;
  } else if (kind === 'json') {
    input = element('textarea', { id, name: path.join('.'), rows: 3, spellcheck: 'false', placeholder: 'JSON' });
  } else {
    input = element('input', {
      id, name: path.join('.'), autocomplete: secret ? 'new-password' : 'off', spellcheck: 'false',
      type: secret ? 'password' : 'text',
      inputmode: kind === 'integer' ? 'numeric' : kind === 'number' ? 'decimal' : undefined,
    });
  }
  const label = element('label', { for: id, 'data-prop': path.join('.') }, ...caption, hint, input);
  return {
    name, element: label,
    read() {
      const raw = input.value;
      if (input.tagName === 'SELECT') return raw === '' ? undefined : input.choices[Number(raw)];
      if (raw.trim() === '') return secret && stored ? MASK : undefined;
      if (kind === 'json') {
        try {
          return JSON.parse(raw);
        } catch {
          throw new FormError(`${path.join('.')}: not valid JSON`);
        }
      }
      if ((kind === 'integer' || kind === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) {
        return Number(raw);
      }
      return raw;
    },
    fill(value) {
      if (secret) {
        // never put a secret into the page: the API masks it anyway; left empty, the stored one is kept
        stored = value !== undefined && value !== null && value !== '';
        input.value = '';
        input.placeholder = stored ? 'unchanged (stored)' : '';
      } else if (input.tagName === 'SELECT') {
        const i = value === undefined ? -1 : input.choices.findIndex((c) => String(c) === String(value));
        input.value = i < 0 ? '' : String(i);
      } else if (value === undefined || value === null) {
        input.value = '';
      } else {
        input.value = kind === 'json' ? JSON.stringify(value, null, 2) : text(value);
      }
    },
  };
}

function unique(values) {
  const seen = new Set();
  return values.filter((v) => {
    const key = String(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fieldsOf(node, root, path) {
  const required = new Set(node.required || []);
  return Object.entries(node.properties || {})
    .map(([name, child]) => field(name, [...path, name], child, root, required.has(name)));
}

function collect(fields) {
  const props = {};
  for (const f of fields) {
    const value = f.read();
    if (value !== undefined) props[f.name] = value;
  }
  return Object.keys(props).length ? props : undefined;
}

function spread(fields, props) {
  for (const f of fields) f.fill(props[f.name]);
}

/**
 * Puts the fields of a type's connection props into container.
 * @returns {{read(): object, fill(props): object, known: boolean}} fill returns the props that have no field
 */
export function buildFields(container, schema) {
  const part = connectionPart(schema);
  const fields = fieldsOf(part, schema || {}, []);
  container.replaceChildren(...fields.map((f) => f.element));
  const names = new Set(fields.map((f) => f.name));
  return {
    known: fields.length > 0,
    read: () => collect(fields) || {},
    fill(props) {
      spread(fields, props || {});
      return Object.fromEntries(Object.entries(props || {}).filter(([k]) => !names.has(k)));
    },
  };
}
