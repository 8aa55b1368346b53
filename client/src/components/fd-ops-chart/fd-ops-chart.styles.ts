import { css } from 'lit';
import { cardSurface } from '../../styles/card.styles';

/** uPlot's own stylesheet (MIT), the rules this chart uses: it cannot reach into the shadow root from the page. */
const uPlotStyles = css`
  .uplot,
  .uplot *,
  .uplot *::before,
  .uplot *::after {
    box-sizing: border-box;
  }
  .uplot {
    width: min-content;
    font-family: inherit;
    line-height: 1.5;
  }
  .u-wrap {
    position: relative;
    user-select: none;
  }
  .u-over,
  .u-under {
    position: absolute;
  }
  .u-under {
    overflow: hidden;
  }
  .uplot canvas {
    display: block;
    position: relative;
    width: 100%;
    height: 100%;
  }
  .u-axis {
    position: absolute;
  }
  .u-select {
    position: absolute;
    background: color-mix(in srgb, var(--_text) 8%, transparent);
    pointer-events: none;
  }
  .u-cursor-x,
  .u-cursor-y {
    position: absolute;
    left: 0;
    top: 0;
    pointer-events: none;
    will-change: transform;
  }
  .u-hz .u-cursor-x,
  .u-vt .u-cursor-y {
    height: 100%;
    border-right: 1px dashed var(--_muted);
  }
  .u-hz .u-cursor-y,
  .u-vt .u-cursor-x {
    width: 100%;
    border-bottom: 1px dashed var(--_muted);
  }
  .u-cursor-pt {
    position: absolute;
    top: 0;
    left: 0;
    border-radius: 50%;
    border: 0 solid;
    pointer-events: none;
    will-change: transform;
    background-clip: padding-box !important;
  }
  .u-axis.u-off,
  .u-select.u-off,
  .u-cursor-x.u-off,
  .u-cursor-y.u-off,
  .u-cursor-pt.u-off {
    display: none;
  }
`;

export default [
  uPlotStyles,
  css`
    :host {
      display: block;
      min-width: 0;
      color: var(--_text);
    }

    .chart {
      display: grid;
      gap: 0.35rem;
      min-width: 0;
      height: 100%;
      padding: 0.875rem 1rem 0.75rem;
      ${cardSurface}
    }

    .chart__heading {
      margin: 0;
      font-size: 0.9375rem;
      font-weight: 600;
    }

    /* Two lines' room whatever the figures say, so that the plot does not move as they change. */
    .chart__summary {
      margin: 0;
      min-height: 2lh;
      color: var(--_muted);
      font-size: 0.8125rem;
    }

    /* The plot's room is kept while there is nothing to draw: no jump when data arrives. */
    .chart__body {
      position: relative;
      min-width: 0;
      height: 180px;
    }

    .plot {
      width: 100%;
      height: 100%;
      overflow: hidden;
    }

    .plot[hidden] {
      display: none;
    }

    .chart__empty {
      display: grid;
      place-items: center;
      height: 100%;
      margin: 0;
      border: 1px dashed var(--_border);
      border-radius: var(--_radius);
      color: var(--_muted);
      font-size: 0.875rem;
    }

    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
      margin: 0;
      padding: 0;
      list-style: none;
      font-size: 0.8125rem;
    }

    .legend__item {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      min-width: 0;
    }

    .legend__swatch {
      flex: none;
      width: 1.75rem;
      height: 0.5rem;
    }

    .legend__label {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    .legend__value {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }

    /* Elements whose computed colour gives the canvas its colours (theme tokens, light or dark). */
    .probes {
      display: none;
    }

    .probe--axis {
      color: var(--_muted);
    }

    .probe--grid {
      color: color-mix(in srgb, var(--_border) 70%, transparent);
    }
  `,
];
