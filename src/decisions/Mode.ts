/**
 * `enforce`: a failure denies the call. `observe`: a failure is only recorded (audited as `call_would_deny`), so a
 * new rule can be tried on live traffic before it blocks anything.
 */
export type Mode = 'enforce' | 'observe';

/** Where a contract sits in the pipeline; `behavior` is a built-in behaviour guard (a kind of session contract). */
export type ContractType = 'precondition' | 'postcondition' | 'session_contract' | 'behavior';
