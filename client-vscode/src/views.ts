/**
 * Read-only documents: "Show Shapes of This File" (`shapelens shapes <file>`, refreshed when the
 * file is saved) and "Show Model Summary" (the layer table of the Keras model under the cursor,
 * taken from the server's hover card; without one, what `shapelens shapes --format json`
 * knows about the name, and a note saying what is missing).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HoverRequest, type LanguageClient, type MarkupContent } from 'vscode-languageclient/node';
import { CLI_TIMEOUT_MS, SHAPES_SCHEME, SUMMARY_SCHEME } from './constants';
import { runPython } from './interpreter';

const MODEL_TABLE_HEADER = '| layer | output shape | params |';

type Python = () => string | undefined;

function cwdOf(file: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? path.dirname(file.fsPath);
}

/** `shapelens <args> <file>`, run in the file's workspace folder (relative paths in the output). */
async function runCli(python: string, args: string[], file: vscode.Uri): Promise<{ ok: boolean; text: string }> {
  const cwd = cwdOf(file);
  const relative = path.relative(cwd, file.fsPath);
  const target = relative.startsWith('..') || path.isAbsolute(relative) ? file.fsPath : relative;
  const result = await runPython(python, ['-m', 'shapelens', ...args, target], CLI_TIMEOUT_MS, cwd);
  if (result.code === 0) {
    return { ok: true, text: result.stdout };
  }
  return { ok: false, text: `shapelens ${args.join(' ')} failed (exit ${String(result.code)}):\n${result.stderr}` };
}

/** `shapelens-shapes:/<name> (shapes)?<file uri>` → the CLI's table for that file. */
export class ShapesProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly python: Python) {
    this.subscription = vscode.workspace.onDidSaveTextDocument((doc) => {
      for (const open of vscode.workspace.textDocuments) {
        if (open.uri.scheme === SHAPES_SCHEME && open.uri.query === doc.uri.toString()) {
          this.changes.fire(open.uri);
        }
      }
    });
  }

  static uriFor(file: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({
      scheme: SHAPES_SCHEME,
      path: `/${path.basename(file.path)} (shapes)`,
      query: file.toString(),
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const file = vscode.Uri.parse(uri.query);
    const python = this.python();
    if (python === undefined) {
      return 'The ShapeLens server is not running: see "ShapeLens: Show Output".\n';
    }
    const { text } = await runCli(python, ['shapes'], file);
    const dirty = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString())?.isDirty;
    const note = dirty ? '(unsaved changes are not included: save the file to refresh)\n\n' : '';
    return note + text;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changes.dispose();
  }
}

/** `shapelens-summary:` documents hold text computed by the command that opens them. */
export class SummaryProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;

  show(name: string, text: string): Thenable<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${name} (model summary)` });
    this.texts.set(uri.toString(), text);
    this.changes.fire(uri);
    return vscode.workspace.openTextDocument(uri).then((doc) =>
      vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

export async function showShapes(editor: vscode.TextEditor | undefined): Promise<void> {
  if (editor?.document.languageId !== 'python' || editor.document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('ShapeLens: open a saved Python file to see its shapes.');
    return;
  }
  const doc = await vscode.workspace.openTextDocument(ShapesProvider.uriFor(editor.document.uri));
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}

function hoverText(contents: unknown): string {
  if (typeof contents === 'string') {
    return contents;
  }
  if (Array.isArray(contents)) {
    return contents.map(hoverText).join('\n\n---\n\n');
  }
  if (contents !== null && typeof contents === 'object' && 'value' in contents) {
    return (contents as MarkupContent).value;
  }
  return '';
}

/** Lays out rows as aligned plain-text columns; `right` columns are right-aligned. */
export function textTable(header: string[], rows: string[][], right: boolean[] = []): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    widths
      .map((w, i) => (right[i] ? (cells[i] ?? '').padStart(w) : (cells[i] ?? '').padEnd(w)))
      .join('   ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const plain = (markdown: string): string => markdown.replace(/\*\*|`/g, '').trim();

/** Splits a Markdown table row `| a | b |` into its cells. */
const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => plain(c));

/**
 * The model card of a hover (`**`name`** · Sequential model · N params` and a Markdown table
 * `| layer | output shape | params |`), laid out like Keras' `model.summary()`.
 */
export function modelCard(markdown: string, where: string): { name: string; text: string } | undefined {
  for (const part of markdown.split(/\n+---\n+/)) {
    if (!part.includes(MODEL_TABLE_HEADER)) {
      continue;
    }
    const lines = part.split('\n');
    const head = lines[0] ?? '';
    const name = /`([^`]+)`/.exec(head)?.[1] ?? 'model';
    const rows = lines.filter((l) => l.trim().startsWith('|')).slice(2).map(cells);
    const notes = lines.slice(1).filter((l) => l.trim() !== '' && !l.trim().startsWith('|')).map(plain);
    const text = [
      `Model summary: ${name}`,
      plain(head).replace(/^\S+\s+·\s+/, ''),
      `(from the ShapeLens hover at ${where})`,
      '',
      ...textTable(['Layer', 'Output shape', 'Params'], rows, [false, false, true]),
      ...(notes.length > 0 ? ['', ...notes] : []),
      '',
    ];
    return { name, text: text.join('\n') };
  }
  return undefined;
}

interface AssignmentJson {
  line?: number;
  name?: string;
  shape?: (number | string | null)[] | null;
  dtype?: string | null;
}

function formatShape(shape: AssignmentJson['shape']): string {
  if (shape === null || shape === undefined) {
    return '<unknown rank>';
  }
  const dims = shape.map((d) => (d === null ? '?' : String(d)));
  return dims.length === 1 ? `(${dims[0] ?? ''},)` : `(${dims.join(', ')})`;
}

const ASSIGNMENT = /^\s*([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)/;
const LOOK_BACK_LINES = 60;

/**
 * Where to ask for a model card: the cursor, then the target of the nearest assignment at or
 * above it (so the cursor may be anywhere inside `model = keras.Sequential([...])`).
 */
function candidatePositions(document: vscode.TextDocument, position: vscode.Position): vscode.Position[] {
  const out = [position];
  const last = Math.max(0, position.line - LOOK_BACK_LINES);
  for (let line = position.line; line >= last; line--) {
    const text = document.lineAt(line).text;
    const match = ASSIGNMENT.exec(text);
    if (match?.[1] !== undefined) {
      out.push(new vscode.Position(line, text.indexOf(match[1])));
      break;
    }
  }
  return out;
}

export async function showModelSummary(
  editor: vscode.TextEditor | undefined,
  client: LanguageClient | undefined,
  python: string | undefined,
  summaries: SummaryProvider,
): Promise<void> {
  if (editor?.document.languageId !== 'python') {
    void vscode.window.showInformationMessage('ShapeLens: put the cursor on a Keras model in a Python file.');
    return;
  }
  const { document } = editor;
  const position = editor.selection.active;
  const word = document.getText(document.getWordRangeAtPosition(position) ?? new vscode.Range(position, position));
  if (client !== undefined) {
    for (const at of candidatePositions(document, position)) {
      const params = client.code2ProtocolConverter.asTextDocumentPositionParams(document, at);
      const hover = await client.sendRequest(HoverRequest.type, params);
      const where = `${vscode.workspace.asRelativePath(document.uri)}:${String(at.line + 1)}`;
      const card = hover ? modelCard(hoverText(hover.contents), where) : undefined;
      if (card !== undefined) {
        await summaries.show(card.name, card.text);
        return;
      }
    }
  }
  // No model card from the server here: fall back to the CLI's JSON, which has no layer table.
  if (python === undefined || document.uri.scheme !== 'file' || word === '') {
    void vscode.window.showInformationMessage(
      'ShapeLens: no Keras model under the cursor. Put it on the name of a model, e.g. `model` in ' +
        '`model = keras.Sequential([...])`.',
    );
    return;
  }
  const result = await runCli(python, ['shapes', '--format', 'json'], document.uri);
  let rows: AssignmentJson[] = [];
  if (result.ok) {
    try {
      const parsed = JSON.parse(result.text) as unknown;
      rows = Array.isArray(parsed) ? (parsed as AssignmentJson[]) : [];
    } catch {
      rows = [];
    }
  }
  const matching = rows.filter((r) => r.name === word);
  if (matching.length === 0) {
    void vscode.window.showInformationMessage(
      `ShapeLens: no model summary for "${word}": the server does not describe a Keras model at the cursor, ` +
        'and `shapelens shapes --format json` has no entry for that name.',
    );
    return;
  }
  const lines = [
    `${word}: what ShapeLens knows`,
    '',
    'No layer table is available here: the server\'s hover at the cursor does not describe a Keras model,',
    'and `shapelens shapes --format json` lists assignments only (line, name, shape, dtype), without',
    'layers, per-layer output shapes or parameter counts.',
    '',
    ...textTable(
      ['Line', 'Name', 'Shape', 'Dtype'],
      matching.map((r) => [String(r.line ?? '?'), r.name ?? '', formatShape(r.shape), r.dtype ?? '?']),
    ),
    '',
  ];
  await summaries.show(word, lines.join('\n'));
}
