/**
 * The type of toolwarden's method decorators. It has both call signatures, so the same decorator type-checks under
 * TypeScript's legacy `experimentalDecorators` and under TC39 standard decorators, and it checks that the decorated
 * method has the signature `M` the decorator expects.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- method parameter types are checked against M, not here
export interface MethodDecorator<M extends (...args: any[]) => unknown> {
	/** TC39 standard decorators. */
	<T extends M>(value: T, context: ClassMethodDecoratorContext<unknown, T>): void;
	/** Legacy `experimentalDecorators`. */
	<T extends M>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): void;
}
