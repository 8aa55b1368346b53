import {
  allVisibleState,
  emptySelection,
  keepVisible,
  selectRange,
  toggleAllVisible,
  toggleRow,
} from './job-selection';

const rows = ['a', 'b', 'c', 'd', 'e'];
const ids = (selection: { ids: ReadonlySet<string> }) => [...selection.ids].sort();

describe('selection', () => {
  it('toggles one row, which becomes the anchor', () => {
    const one = toggleRow(emptySelection(), 'b');
    expect(ids(one)).toEqual(['b']);
    expect(one.anchor).toBe('b');
    expect(ids(toggleRow(one, 'b'))).toEqual([]);
  });

  it('shift-click selects the range from the anchor, in either direction', () => {
    const anchored = toggleRow(emptySelection(), 'b');
    expect(ids(selectRange(anchored, rows, 'd'))).toEqual(['b', 'c', 'd']);
    const up = toggleRow(emptySelection(), 'd');
    expect(ids(selectRange(up, rows, 'a'))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('shift-click from an unselected anchor clears the range', () => {
    let selection = toggleAllVisible(emptySelection(), rows);
    selection = toggleRow(selection, 'b'); // b off, anchor b
    expect(ids(selectRange(selection, rows, 'd'))).toEqual(['a', 'e']);
  });

  it('without an anchor on screen, shift-click is a plain toggle', () => {
    expect(ids(selectRange(emptySelection(), rows, 'c'))).toEqual(['c']);
  });

  it('selects all visible rows, or none when all were', () => {
    const all = toggleAllVisible(toggleRow(emptySelection(), 'a'), rows);
    expect(ids(all)).toEqual(rows);
    expect(allVisibleState(all, rows)).toBe('all');
    expect(allVisibleState(toggleRow(all, 'c'), rows)).toBe('some');
    expect(allVisibleState(emptySelection(), rows)).toBe('none');
    expect(ids(toggleAllVisible(all, rows))).toEqual([]);
    expect(allVisibleState(emptySelection(), [])).toBe('none');
  });

  it('forgets rows that left the view, and keeps the same object when none did', () => {
    const selection = selectRange(toggleRow(emptySelection(), 'a'), rows, 'c');
    expect(keepVisible(selection, rows)).toBe(selection);
    const kept = keepVisible(selection, ['b', 'c', 'd']);
    expect(ids(kept)).toEqual(['b', 'c']);
    expect(kept.anchor).toBeNull();
  });
});
