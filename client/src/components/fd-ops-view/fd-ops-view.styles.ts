import { css } from 'lit';

export default css`
  .section__intro {
    max-width: 60rem;
  }

  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr));
    gap: 1rem;
  }

  .queues {
    display: grid;
    gap: 0.75rem;
  }

  .queues__heading {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
  }

  .range {
    margin-inline-start: 0.25rem;
    font-size: 0.75rem;
  }

  /* Paused or running: said in words, with a mark, not by colour alone. */
  .state {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    white-space: nowrap;
  }

  .state__mark {
    font-size: 0.625rem;
  }

  .state--running .state__mark {
    color: var(--_success);
  }

  .state--paused {
    color: var(--_status-delayed);
    font-weight: 600;
  }

  .cell-actions .button + .button {
    margin-inline-start: 0.5rem;
  }

  /* Narrow: a card per queue, the figures in a grid of label and value. */
  @container (max-width: 40rem) {
    .queue-table .row {
      grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr));
    }

    .queue-table .cell-name,
    .queue-table .cell-state,
    .queue-table .cell-replicas,
    .queue-table .cell-actions {
      grid-column: 1 / -1;
    }
  }
`;
