// Keyboard shortcuts (press ?).
export const SHORTCUTS: [string, string][] = [
  ['Ctrl+Enter', 'run the graph'],
  ['Esc', 'cancel the run / close dialogs'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo'],
  ['Ctrl+C / Ctrl+V', 'copy / paste nodes at the mouse pointer (as graph JSON, also between tabs)'],
  ['Ctrl+D', 'duplicate the selection'],
  ['Delete / Backspace', 'delete the selection'],
  ['Shift+click, Shift+drag', 'multi-select'],
  ['double-click canvas, /', 'add a node by name'],
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
