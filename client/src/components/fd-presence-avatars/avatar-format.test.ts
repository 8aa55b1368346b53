import { AVATAR_COLORS, avatarColorOf, initialsOf, listOfNames } from './avatar-format';

describe('initialsOf', () => {
  it('takes the first letters of the first and last words, in capitals', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL');
    expect(initialsOf('grace brewster murray hopper')).toBe('GH');
    expect(initialsOf('  Bob  ')).toBe('B');
    expect(initialsOf('Émile Zola')).toBe('ÉZ');
  });

  it('keeps a letter outside the basic plane whole, and shows "?" for no name', () => {
    expect(initialsOf('𝒜da Byron')).toBe('𝒜B');
    expect(initialsOf('   ')).toBe('?');
  });
});

describe('avatarColorOf', () => {
  it('gives the same id the same colour, from the palette', () => {
    expect(avatarColorOf('user_1')).toBe(avatarColorOf('user_1'));
    expect(AVATAR_COLORS).toContain(avatarColorOf('user_1'));
  });

  it('spreads ids over the palette', () => {
    const colours = new Set(Array.from({ length: 64 }, (_, index) => avatarColorOf(`user_${index}`)));
    expect(colours.size).toBeGreaterThanOrEqual(6);
  });

  it('picks colours on which white initials have at least 4.5:1 contrast', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((at) => {
        const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
        return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    for (const colour of AVATAR_COLORS) expect(1.05 / (luminance(colour) + 0.05)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('listOfNames', () => {
  it('joins names as a sentence does', () => {
    expect(listOfNames([])).toBe('');
    expect(listOfNames(['Ada'])).toBe('Ada');
    expect(listOfNames(['Ada', 'Bob'])).toBe('Ada and Bob');
    expect(listOfNames(['Ada', 'Bob', 'Cy'])).toBe('Ada, Bob and Cy');
  });
});
