// The selected node's params, with widgets built from its zod schema (engine/graph/params.ts):
// number inputs with ranges, selects for enums, checkboxes, checklists for lists of enum values, comma lists for integer lists (ranks:
// "8, 8, full"), JSON for nested values, text for expressions, a file picker for paths. Each value
// is checked as it is typed; an invalid one is shown in red beside its field and never enters the
// graph: while a field is red the graph holds the value from before that round of typing (not the
// last valid prefix: "50" of "500" above a maximum of 100), the history keeps no step for it, and
// Run refuses, naming the field (the store's invalidFields).
import { useEffect, useRef, useState } from 'react';
import { setParams, setTitle } from '../../engine/graph/edit';
import { paramInfo, resolveParams, type ParamInfo } from '../../engine/graph/params';
import { findNode } from '../../engine/node-api';
import { registry } from '../../nodes';
import { useEditor } from '../store';
import { useWarnings } from '../warnings';
import { pickFileInto } from '../files';

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

const isList = (p: ParamInfo) => /^(\(integer \| null\)|integer|number)\[\]$/.test(p.type);
const isScalar = (p: ParamInfo) => p.type === 'number' || p.type === 'integer';

/** The text a value is edited as. */
export function formatValue(p: ParamInfo, v: unknown): string {
  if (v === undefined) return '';
  if (isList(p) && Array.isArray(v)) return v.map((x) => (x === null ? 'full' : String(x))).join(', ');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Parses what was typed into a value (undefined: unset), or says why it cannot. */
export function parseValue(p: ParamInfo, text: string): Parsed {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  if (p.type === 'enum') {
    // A select's option value is the enum value as a string; numbers and booleans map back.
    const hit = p.enum!.find((v) => String(v) === t);
    return hit !== undefined ? { ok: true, value: hit } : { ok: false, message: `“${t}” is not one of ${p.enum!.map(String).join(', ')}` };
  }
  if (isScalar(p)) {
    const n = Number(t);
    return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `“${t}” is not a number` };
  }
  if (isList(p)) {
    const items = t.replace(/^\[|\]$/g, '').split(/[,\s]+/).filter(Boolean);
    const out: (number | null)[] = [];
    for (const it of items) {
      if (/^(full|null|-)$/i.test(it) && p.type.includes('null')) out.push(null);
      else if (Number.isFinite(Number(it))) out.push(Number(it));
      else return { ok: false, message: `“${it}” is not a number${p.type.includes('null') ? ' (or full)' : ''}` };
    }
    return { ok: true, value: out };
  }
  if (p.type === 'string') return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch {
    // Scalars of a union (e.g. integer | integer[]) may be typed bare.
    const n = Number(t);
    return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'not valid JSON (e.g. [[0, 1], [0, 1]])' };
  }
}

/** The params with `p` set to `v` (unset: removed). */
function withParam(params: Record<string, unknown>, p: ParamInfo, v: unknown): Record<string, unknown> {
  const next = { ...params };
  if (v === undefined || (p.type === 'enum' && v === '')) delete next[p.name];
  else next[p.name] = v;
  return next;
}

/** Deep equality of two param values (JSON data). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A problem as it shows beside its field. An expression's excerpt and the caret under it (the
 * lines the parser writes after the first: "  <text>" and "  <spaces>^") go in one monospace block
 * that keeps its spaces, so the caret stays under the column it names. */
function ProblemText({ message }: { message: string }) {
  const m = /^([^\n]*)\n( {2}[^\n]*)\n( *\^)(.*)$/s.exec(message);
  if (!m) return <>{message}</>;
  return (
    <>
      {m[1]}
      <pre className="cs-caret">{`${m[2]}\n${m[3]}`}</pre>
      {m[4]}
    </>
  );
}

function Field({ nodeId, p, value, problem, onValue, onRestore, filePicker }: { nodeId: string; p: ParamInfo; value: unknown; problem?: string; onValue: (v: unknown, text: string) => string | null; onRestore: (v: unknown) => void; filePicker: boolean }) {
  const [text, setText] = useState(formatValue(p, value));
  const [error, setError] = useState<string | null>(null);
  // A value changed elsewhere (undo, another node selected) shows up here. The value this field
  // just wrote does not: "3," is [3] too, and rewriting the text as "3" would eat the comma being
  // typed (typing "3, 3, 3" gave "333").
  const textRef = useRef(text);
  textRef.current = text;
  // The value at focus, just put back because the text turned invalid: not a change from
  // elsewhere, so the text being typed stays (once; an undo to that value later shows).
  const restored = useRef<{ value: unknown } | null>(null);
  useEffect(() => {
    const back = restored.current;
    restored.current = null;
    if (back && sameValue(back.value, value)) return;
    const mine = parseValue(p, textRef.current);
    if (mine.ok && sameValue(mine.value, value)) return;
    setText(formatValue(p, value));
    setError(null);
  }, [nodeId, value, p]);
  // The value before this round of typing: what the graph holds while the text is invalid.
  const atFocus = useRef<{ value: unknown } | null>(null);
  const key = `${nodeId}.${p.name}`;
  const markInvalid = (why: string | null) => {
    const st = useEditor.getState();
    if ((st.invalidFields[key] ?? null) === why) return;
    const next = { ...st.invalidFields };
    if (why === null) delete next[key];
    else next[key] = why;
    st.set({ invalidFields: next });
  };
  // Leaving the node with an invalid value in this field discards the text (the graph already holds
  // the value from before), and a notice says so; not when another graph was opened meanwhile.
  const errorRef = useRef(error);
  errorRef.current = error;
  const graphAtMount = useRef(useEditor.getState().graphId);
  useEffect(
    () => () => {
      const st = useEditor.getState();
      if (st.invalidFields[key] !== undefined) {
        const next = { ...st.invalidFields };
        delete next[key];
        st.set({ invalidFields: next });
      }
      if (!errorRef.current || st.graphId !== graphAtMount.current || !st.doc.nodes.some((n) => n.id === nodeId)) return;
      const before = atFocus.current;
      const kept = before ? formatValue(p, before.value) || 'unset' : 'as it was';
      st.set({ notice: `${p.name} of node ${nodeId}: “${textRef.current}” was not valid (${errorRef.current}) and was discarded; ${p.name} stays ${kept}` });
    },
    [nodeId, p, key],
  );
  const change = (t: string) => {
    setText(t);
    atFocus.current ??= { value };
    const parsed = parseValue(p, t);
    const why = parsed.ok ? onValue(parsed.value, t) : parsed.message;
    // An invalid text leaves the graph as it was before this round of typing.
    if (why !== null && !sameValue(value, atFocus.current.value)) {
      restored.current = { value: atFocus.current.value };
      onRestore(atFocus.current.value);
    }
    setError(why);
    markInvalid(why === null ? null : `“${t}”: ${why}`);
  };
  const shown = error ?? problem;
  const id = `param-${p.name}`;
  const hint = `${p.doc}${p.default !== undefined ? ` (default ${JSON.stringify(p.default)})` : ''}`;
  let input;
  if (p.type === 'enum') {
    input = (
      <select id={id} value={value === undefined ? '' : String(value)} onChange={(e) => change(e.target.value)} data-testid={id}>
        {(p.optional || value === undefined) && <option value="">{p.default !== undefined ? `default (${String(p.default)})` : '(unset)'}</option>}
        {p.enum!.map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  } else if (p.options) {
    // A checklist: the list holds the ticked options, in the order they are offered.
    const ticked = (Array.isArray(value) ? value : Array.isArray(p.default) ? p.default : []) as unknown[];
    input = (
      <fieldset id={id} className="cs-checklist" data-testid={id}>
        {p.options.map((o) => (
          <label key={String(o)}>
            <input
              type="checkbox"
              checked={ticked.includes(o)}
              data-testid={`${id}-${String(o)}`}
              onChange={(e) => {
                const next = p.options!.filter((x) => (x === o ? e.target.checked : ticked.includes(x)));
                setError(onValue(next, JSON.stringify(next)));
              }}
            />
            {String(o)}
          </label>
        ))}
      </fieldset>
    );
  } else if (p.type === 'boolean') {
    input = <input id={id} type="checkbox" checked={Boolean(value ?? p.default)} onChange={(e) => setError(onValue(e.target.checked, String(e.target.checked)))} data-testid={id} />;
  } else {
    input = (
      <input
        id={id}
        data-testid={id}
        type={isScalar(p) ? 'number' : 'text'}
        {...(p.minimum !== undefined ? { min: p.minimum } : {})}
        {...(p.maximum !== undefined ? { max: p.maximum } : {})}
        step={p.type === 'integer' ? 1 : 'any'}
        value={text}
        placeholder={p.default !== undefined ? formatValue(p, p.default) : isList(p) ? 'e.g. 8, 8, 8' : ''}
        className={shown ? 'invalid' : ''}
        onFocus={() => (atFocus.current = { value })}
        onChange={(e) => change(e.target.value)}
      />
    );
  }
  return (
    <div className="cs-field">
      <label htmlFor={id} title={hint}>
        {p.name}
        {p.minimum !== undefined || p.maximum !== undefined ? <small> {p.minimum ?? '−∞'} … {p.maximum ?? '∞'}</small> : null}
      </label>
      {input}
      {filePicker && (
        <button type="button" onClick={() => void pickFileInto(nodeId, p.name)} data-testid={`${id}-pick`}>
          Choose file…
        </button>
      )}
      {shown && (
        <div className="cs-invalid" data-testid={`${id}-error`}>
          <ProblemText message={shown} />
        </div>
      )}
      <div className="cs-hint">{p.doc}</div>
    </div>
  );
}

export function Inspector() {
  const selected = useEditor((s) => s.selected);
  const node = useEditor((s) => (s.selected.length === 1 ? s.doc.nodes.find((n) => n.id === s.selected[0]) : undefined));
  const edit = useEditor((s) => s.edit);
  // What keeps this node from running (the ⚠ on the node), in full.
  const warnings = useWarnings(node?.id ?? '');
  if (selected.length !== 1 || !node) {
    return <aside className="cs-inspector">{selected.length > 1 ? `${selected.length} nodes selected` : 'Select a node to edit its parameters.'}</aside>;
  }
  const def = findNode(registry, node.type);
  if (!def) {
    return (
      <aside className="cs-inspector">
        <h2>{node.id}</h2>
        <p className="cs-error">Unknown node type {node.type}: kept as a placeholder with its params.</p>
        <pre>{JSON.stringify(node.params, null, 2)}</pre>
      </aside>
    );
  }
  const problemsOf = (params: Record<string, unknown>) => {
    const r = resolveParams(def, params, node.id, []);
    return r.ok ? [] : r.problems;
  };
  const current = problemsOf(node.params);
  const forParam = (name: string, ps: { path: string; message: string }[]) => ps.find((q) => q.path === `$.${name}` || q.path.startsWith(`$.${name}[`) || q.path.startsWith(`$.${name}.`))?.message;
  // A string param is a file path when the node's files() names what it holds.
  const filePicker = (name: string) => {
    try {
      return !!def.files?.({ ...node.params, [name]: '\u0000probe' } as never).includes('\u0000probe');
    } catch {
      return false;
    }
  };
  return (
    <aside className="cs-inspector" data-testid="inspector">
      <h2>{def.title}</h2>
      <div className="cs-muted">
        {node.id} · {def.type}
      </div>
      <p className="cs-hint">{def.description}</p>
      {warnings && (
        <ul className="cs-invalid" data-testid="inspector-problems" aria-label="problems of this node">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <div className="cs-field">
        <label htmlFor="node-title" title="the name shown on the node's header (not a param)">node title</label>
        <input id="node-title" value={node.title ?? ''} placeholder={def.title} onChange={(e) => edit((d) => setTitle(d, node.id, e.target.value), `title:${node.id}`)} />
      </div>
      {paramInfo(def).map((p) => (
        <Field
          key={`${node.id}:${p.name}`}
          nodeId={node.id}
          p={p}
          value={node.params[p.name]}
          problem={forParam(p.name, current)}
          filePicker={filePicker(p.name)}
          onValue={(v) => {
            const next = withParam(node.params, p, v);
            const mine = forParam(p.name, problemsOf(next));
            if (mine) return mine;
            edit((d) => setParams(d, node.id, next), `param:${node.id}:${p.name}`);
            return null;
          }}
          // The value the field had at focus, put back unchecked: it is what the graph held.
          onRestore={(v) => edit((d) => setParams(d, node.id, withParam(node.params, p, v)), `param:${node.id}:${p.name}`)}
        />
      ))}
      {current.filter((q) => q.path === '$').map((q) => (
        <div key={q.message} className="cs-invalid">
          {q.message}
        </div>
      ))}
    </aside>
  );
}
