/**
 * Which rows of the jobs view are selected for a bulk action. Pure functions over immutable sets;
 * `anchor` is where a shift-click range starts (the last row toggled on its own).
 */
export interface Selection {
  readonly ids: ReadonlySet<string>;
  readonly anchor: string | null;
}

export const emptySelection = (): Selection => ({ ids: new Set(), anchor: null });

/** One row on or off; it becomes the anchor of the next range. */
export function toggleRow(selection: Selection, id: string): Selection {
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/**
 * Shift-click: every visible row from the anchor to `id` takes the state `id` takes (on when it was
 * off), the way file managers do. Without an anchor still visible, it is a plain toggle.
 */
export function selectRange(selection: Selection, visible: readonly string[], id: string): Selection {
  const from = selection.anchor === null ? -1 : visible.indexOf(selection.anchor);
  const to = visible.indexOf(id);
  if (from < 0 || to < 0) return toggleRow(selection, id);
  const on = !selection.ids.has(id) || selection.ids.has(selection.anchor!);
  const ids = new Set(selection.ids);
  const [start, end] = from <= to ? [from, to] : [to, from];
  for (const row of visible.slice(start, end + 1)) {
    if (on) ids.add(row);
    else ids.delete(row);
  }
  return { ids, anchor: selection.anchor };
}

/** The select-all checkbox: every visible row on, or (when they all are) off. */
export function toggleAllVisible(selection: Selection, visible: readonly string[]): Selection {
  const all = visible.length > 0 && visible.every((id) => selection.ids.has(id));
  const ids = new Set(selection.ids);
  for (const id of visible) {
    if (all) ids.delete(id);
    else ids.add(id);
  }
  return { ids, anchor: selection.anchor };
}

/** What the select-all checkbox shows. */
export function allVisibleState(selection: Selection, visible: readonly string[]): 'none' | 'some' | 'all' {
  let count = 0;
  for (const id of visible) if (selection.ids.has(id)) count++;
  if (count === 0) return 'none';
  return count === visible.length ? 'all' : 'some';
}

/**
 * Only rows still shown stay selected: a job that left the view (it stopped matching the filters)
 * is not acted on by a bulk action the person cannot see. The same object when nothing left.
 */
export function keepVisible(selection: Selection, visible: readonly string[]): Selection {
  if (selection.ids.size === 0) return selection;
  const shown = new Set(visible);
  let gone = false;
  for (const id of selection.ids) if (!shown.has(id)) gone = true;
  const anchor = selection.anchor !== null && shown.has(selection.anchor) ? selection.anchor : null;
  if (!gone && anchor === selection.anchor) return selection;
  return { ids: new Set([...selection.ids].filter((id) => shown.has(id))), anchor };
}
