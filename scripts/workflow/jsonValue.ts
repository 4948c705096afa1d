/** A JSON value, as state machines pass them between states. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
