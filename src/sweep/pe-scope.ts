// Which samples get a PE summary: a name of its own, so the CLI can offer the choices without loading the parser.

/** `family`: an IOC hit or a hit from a rule naming a family; `findings`: any finding; `all`: every PE file. */
export type PeScope = 'all' | 'findings' | 'family' | 'off';

export const PE_SCOPES: readonly PeScope[] = ['all', 'findings', 'family', 'off'];
