/** Fields with explicit presence (proto3 `optional`): the generator gives each a virtual oneof `_<field>`. */
type OptionalFields<T> = { [K in keyof T]-?: K extends `_${infer Field}` ? Field : never }[keyof T] & keyof T;

/**
 * A generated message as we answer it: every field set except the `optional` ones (absent there
 * means "not known"). The generated types leave every field optional (proto3 sends no defaults),
 * so without this a field added to the .proto, or another message of a similar shape, would
 * compile unnoticed.
 */
export type Complete<T> = Required<Omit<T, OptionalFields<T> | `_${string}`>> & Partial<Pick<T, OptionalFields<T>>>;
