import * as clientRepo from '#data/api-clients.ts';
import * as userRepo from '#data/users.ts';

/**
 * Who acted, by name (an order's status history, the audit trail): the names are read when an
 * answer is made, not stored with what they name, so rows written before names were shown get
 * them too and a renamed person shows under today's name. One answer (one order, one page) asks
 * once, for the distinct users it mentions; a user deleted since is named `null`.
 */
export interface ActorNameDeps {
  users: Pick<typeof userRepo, 'userNames'>;
  /** API clients (`cli_…`) act too: named "<name> (API client)". */
  clients: Pick<typeof clientRepo, 'clientNames'>;
}

/** A user id's "First Last"; `null` for a user no longer there. */
export type ActorNames = (userId: string) => string | null;

/** No user to name: what an answer that mentions nobody uses, without a read. */
export const NO_NAMES: ActorNames = () => null;

export function makeActorNames(deps: ActorNameDeps) {
  return {
    /** The names of the users among `ids` (undefined entries, a system actor, are skipped); one read, none when there is nobody to name. */
    async namesOf(ids: Iterable<string | null | undefined>): Promise<ActorNames> {
      const distinct = [...new Set([...ids].filter((id): id is string => typeof id === 'string'))];
      const people = distinct.filter((id) => id.startsWith('usr_'));
      const machines = distinct.filter((id) => id.startsWith('cli_'));
      if (!people.length && !machines.length) return NO_NAMES;
      const [names, clients] = await Promise.all([
        people.length ? deps.users.userNames(people) : new Map<string, string>(),
        machines.length ? deps.clients.clientNames(machines) : new Map<string, string>(),
      ]);
      return (id) => names.get(id) ?? (clients.has(id) ? `${clients.get(id)} (API client)` : null);
    },
  };
}

export type ActorNameService = ReturnType<typeof makeActorNames>;

export const actorNames = makeActorNames({ users: userRepo, clients: clientRepo });
