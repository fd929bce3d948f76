export const PROVIDERS: ("sqlite" | "postgresql")[];
export function renderSchema(provider: "sqlite" | "postgresql"): string;
export function fullSchemaSql(provider: "sqlite" | "postgresql"): string;
