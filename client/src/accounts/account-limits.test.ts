import { ACCOUNT_LIMITS } from '@flightdeck/contract';
import { CONSOLE_ACCOUNT_LIMITS } from './account-limits';

describe('CONSOLE_ACCOUNT_LIMITS', () => {
  it("are the contract's", () => {
    for (const [name, value] of Object.entries(CONSOLE_ACCOUNT_LIMITS))
      expect([name, value]).toEqual([name, ACCOUNT_LIMITS[name as keyof typeof ACCOUNT_LIMITS]]);
  });
});
