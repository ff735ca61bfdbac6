export {};

const { makeActorNames, NO_NAMES } = await import('#services/actor-names.ts');

/** Who acted, by name: one read per answer for the distinct users it mentions (services/actor-names.ts). */
function setUp(stored: Record<string, string>, storedClients: Record<string, string> = {}) {
  const reads: string[][] = [];
  const clientReads: string[][] = [];
  const names = makeActorNames({
    users: {
      userNames: async (ids: readonly string[]) => {
        reads.push([...ids]);
        return new Map(ids.flatMap((id) => (stored[id] ? [[id, stored[id]] as const] : [])));
      },
    },
    clients: {
      clientNames: async (ids: readonly string[]) => {
        clientReads.push([...ids]);
        return new Map(ids.flatMap((id) => (storedClients[id] ? [[id, storedClients[id]] as const] : [])));
      },
    },
  });
  return { names, reads, clientReads };
}

describe('naming who acted', () => {
  it('reads the distinct users of an answer once, and names a deleted one null', async () => {
    const { names, reads } = setUp({ usr_A: 'Ada Lovelace', usr_B: 'Grace Hopper' });
    const nameOf = await names.namesOf(['usr_A', 'usr_B', 'usr_A', undefined, 'usr_GONE', null]);
    expect(reads).toEqual([['usr_A', 'usr_B', 'usr_GONE']]);
    expect([nameOf('usr_A'), nameOf('usr_B'), nameOf('usr_GONE')]).toEqual(['Ada Lovelace', 'Grace Hopper', null]);
  });

  it('reads nothing when only the system acted', async () => {
    const { names, reads, clientReads } = setUp({});
    expect(await names.namesOf([undefined, 'order-workflow'])).toBe(NO_NAMES);
    expect(reads).toEqual([]);
    expect(clientReads).toEqual([]);
  });

  it('names an API client "<name> (API client)", reading clients only when one is mentioned', async () => {
    const { names, reads, clientReads } = setUp({ usr_A: 'Ada Lovelace' }, { cli_ERP: 'ERP connector' });
    const nameOf = await names.namesOf(['usr_A', 'cli_ERP', 'cli_ERP', 'cli_GONE']);
    expect(reads).toEqual([['usr_A']]);
    expect(clientReads).toEqual([['cli_ERP', 'cli_GONE']]);
    expect([nameOf('usr_A'), nameOf('cli_ERP'), nameOf('cli_GONE')]).toEqual(['Ada Lovelace', 'ERP connector (API client)', null]);
    const onlyPeople = setUp({ usr_A: 'Ada Lovelace' });
    await onlyPeople.names.namesOf(['usr_A']);
    expect(onlyPeople.clientReads).toEqual([]);
  });
});
