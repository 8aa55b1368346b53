import { css } from 'lit';

export default css`
  :host {
    --_avatar-size: var(--fd-avatar-size, 1.75rem);
    --_avatar-ring: var(--fd-avatar-ring, var(--_surface));

    display: inline-flex;
    vertical-align: middle;
    /* Present or not, the avatars never change the height of what holds them. */
    min-height: var(--_avatar-size);
  }

  .avatars {
    display: flex;
    align-items: center;
    margin: 0;
    /* Room for the first circle's ring. */
    padding: 0 0 0 2px;
    list-style: none;
  }

  .avatar {
    display: inline-grid;
    flex: none;
    place-items: center;
    width: var(--_avatar-size);
    height: var(--_avatar-size);
    border-radius: 50%;
    background: var(--_avatar-color, #57606a);
    box-shadow: 0 0 0 2px var(--_avatar-ring);
    color: #ffffff;
    font-size: calc(var(--_avatar-size) * 0.4);
    font-weight: 600;
    line-height: 1;
    letter-spacing: 0.02em;
    cursor: default;
    user-select: none;
  }

  /* A slight overlap: enough to read as a group, not so much that initials are cut. */
  .avatar + .avatar {
    margin-inline-start: calc(var(--_avatar-size) * -0.12);
  }

  .avatar--more {
    background: var(--_surface-sunken);
    box-shadow:
      0 0 0 2px var(--_avatar-ring),
      inset 0 0 0 1px var(--_border);
    color: var(--_text);
  }
`;
