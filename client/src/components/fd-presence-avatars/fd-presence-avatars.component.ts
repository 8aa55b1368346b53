import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { themeStyles } from '../../styles/theme.styles';
import { avatarColorOf, initialsOf, listOfNames } from './avatar-format';
import styles from './fd-presence-avatars.styles';

/** A person an avatar stands for. */
export interface AvatarPerson {
  id: string;
  name: string;
}

/**
 * Who is here, as a row of small overlapping avatars: each person's initials in a circle whose
 * colour comes from their id (the same on every screen), the full name as its tooltip and as the
 * text screen readers read; beyond `max`, one "+3" circle stands for the rest (their names in its
 * tooltip). Nobody here: it shows nothing and takes no width.
 *
 * ```html
 * <fd-presence-avatars .people=${[{ id: 'u1', name: 'Ada Lovelace' }]} label="Also viewing"></fd-presence-avatars>
 * ```
 * For the people looking at a job, from the realtime client's presence (yourself left out), see
 * `viewersOf` / `viewersByJob` in realtime/presence.ts.
 *
 * @attr label - What the people are, for assistive technology ("Also viewing" by default); the list reads "Also viewing: Ada Lovelace, Bob Builder".
 * @attr max - How many avatars show before the "+N" one (3 by default).
 * @cssprop --fd-avatar-size - The circles' diameter (1.75rem by default).
 * @cssprop --fd-avatar-ring - The ring that separates overlapping circles (the surface colour by default).
 * @csspart list - The list of avatars.
 * @csspart avatar - Each circle, the "+N" one included.
 */
@customElement('fd-presence-avatars')
export class FdPresenceAvatars extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, styles];

  /** The people to show, in order. */
  @property({ attribute: false }) people: readonly AvatarPerson[] = [];

  @property() label = 'Also viewing';

  @property({ type: Number }) max = 3;

  override render() {
    const people = this.people;
    if (people.length === 0) return nothing;
    const max = Math.max(1, Math.floor(this.max) || 1);
    // A "+1" would take the room of the one avatar it hides: show that avatar instead.
    const visible = people.length <= max + 1 ? people : people.slice(0, max);
    const rest = people.slice(visible.length);
    const everyone = listOfNames(people.map((person) => person.name));
    return html`
      <ul part="list" class="avatars" role="list" aria-label="${this.label}: ${everyone}">
        ${repeat(
          visible,
          (person) => person.id,
          (person) => html`
            <li
              part="avatar"
              class="avatar"
              title=${person.name}
              style=${styleMap({ '--_avatar-color': avatarColorOf(person.id) })}
            >
              <span aria-hidden="true">${initialsOf(person.name)}</span>
              <span class="visually-hidden">${person.name}</span>
            </li>
          `,
        )}
        ${
          rest.length > 0
            ? html`<li
                part="avatar"
                class="avatar avatar--more"
                title=${listOfNames(rest.map((person) => person.name))}
              >
                <span aria-hidden="true">+${rest.length}</span>
                <span class="visually-hidden">and ${rest.length} more</span>
              </li>`
            : nothing
        }
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-presence-avatars': FdPresenceAvatars;
  }
}
