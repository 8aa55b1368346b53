import { css } from 'lit';

export default css`
  .add__fields {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(9rem, 13rem) auto;
    gap: 0.75rem;
    align-items: start;
  }

  /* The button lines up with the inputs, under the labels. */
  .add__submit {
    margin-top: 1.6rem;
  }

  .name-line {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
  }

  .cell-email {
    overflow-wrap: anywhere;
  }

  .cell-added {
    color: var(--_muted);
    white-space: nowrap;
  }

  @container (max-width: 40rem) {
    .add__fields {
      grid-template-columns: minmax(0, 1fr);
    }

    .add__submit {
      margin-top: 0;
    }

    .table .row {
      grid-template-columns: minmax(0, 1fr) auto;
      grid-template-areas:
        'name role'
        'email email'
        'added actions';
      align-items: center;
    }

    .cell-name {
      grid-area: name;
    }
    .cell-email {
      grid-area: email;
    }
    .cell-role {
      grid-area: role;
      justify-self: end;
    }
    .cell-added {
      grid-area: added;
    }
    .cell-actions {
      grid-area: actions;
      justify-self: end;
    }
  }
`;
