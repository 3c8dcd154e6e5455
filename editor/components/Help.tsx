// Keyboard shortcuts (press ?).
export const SHORTCUTS: [string, string][] = [
  ['Ctrl+Enter', 'run the graph'],
  ['Esc', 'cancel the run / close dialogs and menus'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo'],
  ['Ctrl+C / Ctrl+V', 'copy / paste nodes at the mouse pointer (as graph JSON, also between tabs)'],
  ['Ctrl+D', 'duplicate the selection'],
  ['Delete / Backspace', 'delete the selection (nodes, frames, wires)'],
  ['Ctrl+A', 'select every node'],
  ['Shift+click, Shift+drag', 'multi-select'],
  ['click a wire', 'select it (Delete removes it)'],
  ['drag from a connected input', 'take its wire to another input (dropped on the canvas: removed)'],
  ['right-click a node', 'run up to here, bypass, collapse, group, duplicate, delete'],
  ['double-click canvas, /', 'add a node by name'],
  ['drag a wire to empty canvas', 'add a node that fits the wire, connected'],
  ['Ctrl+B', 'bypass the selection (its inputs pass straight through) / stop bypassing'],
  ['Alt+C', 'collapse / expand the selection'],
  ['Ctrl+G', 'group: put the selection in a frame (dragging its title moves it with its nodes)'],
  ['double-click a frame title', 'rename the frame'],
  ['L', 'auto-layout'],
  ['F', 'fit the view'],
  ['?', 'this help'],
];

export function Help({ onClose }: { onClose: () => void }) {
  return (
    <div className="cs-dialog" data-testid="help" onClick={onClose}>
      <header>
        <b>Keyboard shortcuts</b>
      </header>
      <table>
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
