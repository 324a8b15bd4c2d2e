/** Salesforce Ids the emulator gives: key prefixes, the case-safe suffix, the 15-to-18 form. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assignKeyPrefixes, canonicalId, caseSafeSuffix, recordId } from '../../src/emulator/ids.ts';

describe('Salesforce Ids', () => {
  it('adds the case-safe suffix Salesforce adds to a 15-character Id', () => {
    // Examples worked through in the CASESAFEID write-ups (salesforce.stackexchange.com/questions/1653).
    assert.equal(caseSafeSuffix('0019000000B98de'), 'AAB');
    assert.equal(caseSafeSuffix('a0D30000001n7Pi'), 'EAI');
    assert.equal(caseSafeSuffix('001100000000001'), 'AAA');
  });

  it('gives 18-character Ids under the object key prefix, each with its own suffix', () => {
    const id = recordId('003', 12_345);
    assert.equal(id.length, 18);
    assert.ok(id.startsWith('003'));
    assert.equal(id.slice(15), caseSafeSuffix(id.slice(0, 15)));
    assert.notEqual(recordId('003', 12_346), id);
  });

  it('reads 15-character Ids and 18-character Ids in any case as the same record', () => {
    const id = recordId('001', 61 * 62 + 36);
    assert.match(id.slice(0, 15), /[a-z]/);
    assert.equal(canonicalId(id.slice(0, 15)), id);
    assert.equal(canonicalId(id.toLowerCase()), id);
    assert.equal(canonicalId(id.toUpperCase()), id);
    assert.equal(canonicalId('not an id'), undefined);
    assert.equal(canonicalId(`${id.slice(0, 15)}999`), undefined);
  });

  it('keeps the standard key prefixes and gives custom objects stable ones', () => {
    const first = assignKeyPrefixes(['Account', 'Contact', 'User', 'Lead', 'Opportunity', 'Invoice__c', 'Payment__c']);
    assert.deepEqual(
      ['Account', 'Contact', 'User', 'Lead', 'Opportunity'].map((name) => first.get(name)),
      ['001', '003', '005', '00Q', '006'],
    );
    const again = assignKeyPrefixes(['Payment__c', 'Invoice__c']);
    assert.equal(again.get('Invoice__c'), first.get('Invoice__c'));
    assert.equal(again.get('Payment__c'), first.get('Payment__c'));
    assert.match(first.get('Invoice__c')!, /^a[0-9A-Za-z]{2}$/);
    assert.notEqual(first.get('Invoice__c'), first.get('Payment__c'));
  });
});
