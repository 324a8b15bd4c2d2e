/**
 * Salesforce's error replies: a list of `{ message, errorCode, fields }`
 * with an HTTP status (REST API "Status Codes and Error Responses"), the
 * codes the emulator gives for the validations it runs.
 */
import { HcDrizzleError } from '../../errors.ts';

/** One error as Salesforce's REST API reports it. */
export interface SalesforceError {
  readonly message: string;
  readonly errorCode: string;
  readonly fields: readonly string[];
}

/** A refused Salesforce request: what the REST API would answer. */
export class SalesforceApiError extends HcDrizzleError {
  /** The HTTP status the REST API answers with. */
  readonly status: number;
  readonly errors: readonly SalesforceError[];
  constructor(status: number, errors: readonly SalesforceError[]) {
    const [first] = errors;
    super('HC_SALESFORCE_REFUSED', `Salesforce refused the request: ${first?.errorCode ?? 'UNKNOWN'}: ${first?.message ?? 'no message'}`, { exitCode: 1 });
    this.status = status;
    this.errors = errors;
  }
  /** The first error's code (`REQUIRED_FIELD_MISSING`, ...). */
  get errorCode(): string {
    return this.errors[0]?.errorCode ?? 'UNKNOWN';
  }
}

/** A refusal of one record write: status and the errors. */
export interface WriteRefusal {
  readonly status: number;
  readonly errors: readonly SalesforceError[];
}

const error = (errorCode: string, message: string, fields: readonly string[] = []): SalesforceError => ({ message, errorCode, fields });
const refusal = (status: number, ...errors: SalesforceError[]): WriteRefusal => ({ status, errors });

/** The refusals, by Salesforce error code. */
export const refuse = {
  requiredFieldMissing: (fields: readonly string[]) =>
    refusal(400, error('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, fields)),
  stringTooLong: (field: string, value: string, max: number) =>
    refusal(400, error('STRING_TOO_LONG', `${field}: data value too large: ${value.length > 60 ? `${value.slice(0, 57)}...` : value} (max length=${max})`, [field])),
  restrictedPicklist: (field: string, value: string | null) =>
    refusal(400, error('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field}: bad value for restricted picklist field: ${value ?? ''}`, [field])),
  duplicateValue: (field: string, recordId: string) =>
    refusal(400, error('DUPLICATE_VALUE', `duplicate value found: ${field} duplicates value on record with id: ${recordId}`)),
  invalidCrossReference: (field: string, id: string) =>
    refusal(400, error('INVALID_CROSS_REFERENCE_KEY', `${field}: invalid cross reference id: ${id}`, [field])),
  wrongReferenceType: (field: string, id: string) =>
    refusal(400, error('FIELD_INTEGRITY_EXCEPTION', `${field}: id value of incorrect type: ${id}`, [field])),
  malformedId: (what: string, id: string) => refusal(400, error('MALFORMED_ID', `${what}: id value of incorrect type: ${id}`, what === 'Id' ? [] : [what])),
  entityIsDeleted: () => refusal(404, error('ENTITY_IS_DELETED', 'entity is deleted')),
  notFound: (message = 'The requested resource does not exist') => refusal(404, error('NOT_FOUND', message)),
  invalidField: (message: string) => refusal(400, error('INVALID_FIELD', message)),
  notWritable: (fields: readonly string[]) =>
    refusal(
      400,
      error(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        fields,
      ),
    ),
  invalidType: (field: string, type: string, value: unknown) =>
    refusal(400, error('JSON_PARSER_ERROR', `Cannot deserialize instance of ${type} from value ${JSON.stringify(value)} for field ${field}`)),
  invalidEmail: (field: string, value: string) => refusal(400, error('INVALID_EMAIL_ADDRESS', `${field}: invalid email address: ${value}`, [field])),
  unknownObject: (name: string) => refusal(404, error('NOT_FOUND', `The requested resource does not exist: no sObject type ${name} in this org`)),
  multipleMatches: (field: string, value: string) => refusal(300, error('MULTIPLE_CHOICES', `More than one record has ${field} = ${value}`)),
  /** A record of an all-or-none sObject Collections request that was valid, rolled back because another was not. */
  rolledBack: () =>
    refusal(400, error('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header')),
} as const;

/** The text Heroku Connect puts in a failed log's `sf_message`: Salesforce's `CODE:message:fields --` form. */
export function sfMessageOf(errors: readonly SalesforceError[]): string {
  return errors.map((one) => `${one.errorCode}:${one.message}:${one.fields.join(',')} --`).join('\n');
}
