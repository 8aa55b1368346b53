import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { selectionChangeEvent } from '../../events/fd-selection-change';
import { selectRange, toggleAllVisible, toggleRow, type Selection } from '../../jobs-view/job-selection';

/** What the row navigation reads of the table it serves. */
export interface RowNavigationHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Whether rows can be checked. */
  readonly selectable: boolean;
  /** The ids of the checked rows. */
  readonly selected: ReadonlySet<string>;
}

/**
 * The jobs table's keyboard and selection: one row in the tab order (the last focused), ↑ ↓ Home
 * End move, Enter opens the job, Space checks (Shift extends from the anchor), Ctrl/⌘+A checks all
 * rows shown, Escape clears; shift-click checks a range. Rows are `tr[data-job-id][data-index]`;
 * what changes goes out as `fd-selection-change` from the table.
 */
export class RowNavigationController implements ReactiveController {
  /** The row that takes focus (the one in the tab order). */
  private focusId: string | null = null;
  /** The position of the focused row, to focus its neighbour when it leaves. */
  private focusIndex = 0;
  /** Whether a row has the keyboard focus now. */
  private rowFocused = false;
  /** Where a shift-click range starts. */
  private anchor: string | null = null;
  private ids: readonly string[] = [];

  constructor(private readonly host: RowNavigationHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The rows shown now; when the focused one left, its neighbour takes the focus. */
  setRows(ids: readonly string[]): void {
    this.ids = ids;
    if (this.focusId === null || ids.includes(this.focusId)) return;
    const next = ids[Math.min(this.focusIndex, ids.length - 1)];
    this.focusId = next ?? null;
    if (this.rowFocused && next) void this.host.updateComplete.then(() => this.focusRow(next));
  }

  /** The row in the tab order: the one focused last, else the first. */
  tabStop(): string | undefined {
    return this.focusId !== null && this.ids.includes(this.focusId) ? this.focusId : this.ids[0];
  }

  selection(): Selection {
    return { ids: this.host.selected, anchor: this.anchor };
  }

  private select(next: Selection): void {
    this.anchor = next.anchor;
    this.host.dispatchEvent(selectionChangeEvent(next.ids));
  }

  onCheckClick(event: MouseEvent, id: string): void {
    this.setFocusId(id);
    this.select(event.shiftKey ? selectRange(this.selection(), this.ids, id) : toggleRow(this.selection(), id));
  }

  onSelectAll(): void {
    this.select(toggleAllVisible(this.selection(), this.ids));
  }

  onFocusIn(event: FocusEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLTableRowElement>('tr[data-job-id]');
    if (!row) return;
    this.rowFocused = true;
    this.setFocusId(row.dataset.jobId ?? null);
    this.focusIndex = Number(row.dataset.index ?? 0);
  }

  onFocusOut(): void {
    this.rowFocused = false;
  }

  onKeydown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    const row = target.closest<HTMLTableRowElement>('tr[data-job-id]');
    // Keys on the checkbox or link themselves do what those do.
    if (!row || target !== row) return;
    const { selectable, selected } = this.host;
    const id = row.dataset.jobId!;
    const ids = this.ids;
    const index = ids.indexOf(id);
    const move = (to: number) => {
      const next = ids[Math.max(0, Math.min(ids.length - 1, to))];
      if (next === undefined) return;
      if (event.shiftKey && selectable)
        this.select(selectRange({ ...this.selection(), anchor: this.anchor ?? id }, ids, next));
      this.focusRow(next);
    };
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(ids.length - 1);
        break;
      case ' ':
        if (!selectable) return;
        this.select(event.shiftKey ? selectRange(this.selection(), ids, id) : toggleRow(this.selection(), id));
        break;
      case 'Enter':
        row.querySelector<HTMLAnchorElement>('.job-link')?.click();
        break;
      case 'Escape':
        if (!selectable || selected.size === 0) return;
        this.select({ ids: new Set(), anchor: null });
        break;
      case 'a':
      case 'A':
        if (!selectable || !(event.ctrlKey || event.metaKey)) return;
        this.select({ ids: new Set([...selected, ...ids]), anchor: this.anchor });
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  private setFocusId(id: string | null): void {
    if (id === this.focusId) return;
    this.focusId = id;
    this.host.requestUpdate();
  }

  private focusRow(id: string): void {
    this.setFocusId(id);
    const row = this.host.renderRoot.querySelector<HTMLElement>(`tr[data-job-id="${CSS.escape(id)}"]`);
    row?.focus();
    row?.scrollIntoView({ block: 'nearest' });
  }
}
