/**
 * The describe replies (`/sobjects`, `/sobjects/{Object}/describe`) in
 * Salesforce's shape: DescribeGlobalSObjectResult and DescribeSObjectResult,
 * with the keys clients read (jsforce, simple-salesforce, our own client).
 */
import type { SfDescribeType } from '../../columns/kinds.ts';
import type { OrgField, OrgObject } from '../org/objects.ts';

const SOAP_TYPES: Record<SfDescribeType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  encryptedstring: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  anyType: 'xsd:anyType',
};

/** The URLs of an object under an API version. */
export function objectUrls(version: string, object: OrgObject) {
  const base = `/services/data/v${version}/sobjects/${object.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** One object of the global describe. */
export function describeGlobalObject(version: string, object: OrgObject) {
  return {
    activateable: false,
    createable: true,
    custom: object.custom,
    customSetting: false,
    deletable: true,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: object.keyPrefix,
    label: object.label,
    labelPlural: object.labelPlural,
    layoutable: true,
    mergeable: false,
    mruEnabled: false,
    name: object.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: true,
    updateable: true,
    urls: objectUrls(version, object),
  };
}

function relationshipNameOf(field: OrgField): string | null {
  if (field.type !== 'reference') return null;
  if (field.name.endsWith('__c')) return `${field.name.slice(0, -3)}__r`;
  return field.name.endsWith('Id') ? field.name.slice(0, -2) : null;
}

/** One field of a describe, as DescribeFieldResult. */
export function describeField(field: OrgField) {
  const numeric = field.type === 'double' || field.type === 'currency' || field.type === 'percent';
  const text = field.length > 0;
  return {
    aggregatable: true,
    autoNumber: false,
    byteLength: text ? field.length * 3 : 0,
    calculated: field.calculated,
    calculatedFormula: null,
    caseSensitive: false,
    createable: field.createable,
    custom: field.custom,
    defaultValue: field.type === 'boolean' ? field.defaultValue : null,
    defaultValueFormula: field.type === 'boolean' || field.defaultValue === null ? null : JSON.stringify(field.defaultValue),
    defaultedOnCreate: field.defaultedOnCreate,
    dependentPicklist: false,
    digits: field.type === 'int' ? 9 : 0,
    externalId: field.externalId,
    filterable: field.type !== 'textarea' || field.length <= 255,
    groupable: !numeric && field.type !== 'datetime',
    htmlFormatted: false,
    idLookup: field.type === 'id' || field.externalId,
    label: field.label,
    length: field.length,
    name: field.name,
    nameField: field.name === 'Name',
    nillable: field.nillable,
    picklistValues: field.picklistValues.map((value) => ({ active: true, defaultValue: false, label: value, validFor: null, value })),
    precision: numeric ? 18 : 0,
    referenceTo: [...field.referenceTo],
    relationshipName: relationshipNameOf(field),
    restrictedPicklist: field.restrictedPicklist,
    scale: field.type === 'currency' || field.type === 'percent' ? 2 : 0,
    soapType: SOAP_TYPES[field.type],
    sortable: field.type !== 'multipicklist' && (field.type !== 'textarea' || field.length <= 255),
    type: field.type,
    unique: field.unique,
    updateable: field.updateable,
  };
}

/** The full describe of an object. */
export function describeObject(version: string, object: OrgObject) {
  return {
    ...describeGlobalObject(version, object),
    childRelationships: [],
    fields: object.fields.map(describeField),
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
  };
}
