import { css } from 'lit';

export default css`
  .create {
    max-width: 40rem;
  }

  .scopes {
    display: grid;
    gap: 0.35rem;
    min-width: 0;
    margin: 0;
    padding: 0;
    border: 0;
  }

  .scopes legend {
    margin-bottom: 0.3rem;
    padding: 0;
  }

  .scope {
    display: flex;
    align-items: flex-start;
    gap: 0.6rem;
    padding: 0.2rem 0;
    cursor: pointer;
  }

  .scope input {
    flex: none;
    width: 1.1rem;
    height: 1.1rem;
    margin: 0.2rem 0 0;
    accent-color: var(--_accent);
  }

  .scope__text {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.6rem;
    font-size: 0.875rem;
  }

  .scope__name {
    font-weight: 600;
  }

  .scope__description {
    color: var(--_muted);
  }

  .new-key {
    border-color: color-mix(in srgb, var(--_success) 60%, var(--_border));
    box-shadow: inset 4px 0 0 var(--_success);
  }

  .new-key .panel__heading:focus {
    outline: none;
  }

  .warning {
    margin: 0;
    padding: 0.5rem 0.75rem;
    border: 1px solid color-mix(in srgb, var(--_status-delayed) 50%, transparent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_status-delayed) 10%, transparent);
    font-size: 0.875rem;
  }

  .new-key__row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .new-key__value {
    flex: 1 1 16rem;
    width: auto;
    font-family: var(--_font-mono);
    font-size: 0.875rem;
  }

  .new-key__footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1rem;
  }

  .copy-outcome {
    margin: 0;
    color: var(--_success);
    font-size: 0.875rem;
  }

  .name-line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
  }

  .scope-list {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
  }

  .scope-list .pill {
    font-family: var(--_font-mono);
  }

  .cell-prefix code {
    white-space: nowrap;
  }

  .cell-created,
  .cell-used {
    white-space: nowrap;
  }

  .by {
    display: block;
    font-size: 0.8125rem;
    white-space: normal;
  }

  .cell-used,
  .revoked,
  .active {
    color: var(--_muted);
  }

  .row--revoked > * {
    color: var(--_muted);
  }

  .row--revoked .cell-name {
    font-weight: 500;
    text-decoration: line-through;
    text-decoration-color: var(--_muted);
  }

  @container (max-width: 40rem) {
    .table .row {
      grid-template-columns: minmax(0, 1fr) auto;
      grid-template-areas:
        'name actions'
        'prefix prefix'
        'scopes scopes'
        'created used';
      align-items: center;
    }

    .cell-name {
      grid-area: name;
    }
    .cell-prefix {
      grid-area: prefix;
    }
    .cell-scopes {
      grid-area: scopes;
    }
    .cell-created {
      grid-area: created;
    }
    .cell-used {
      grid-area: used;
      justify-self: end;
    }
    .cell-actions {
      grid-area: actions;
      justify-self: end;
    }

    .by {
      display: inline;
    }
  }
`;
