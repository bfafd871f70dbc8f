// The block finder: comments, strings, templates and heredocs must not move it.

import { describe, expect, it } from 'vitest';
import { scanBlocks, type ScannedBlock } from '../../src/recover';

const headers = (blocks: readonly ScannedBlock[]) => blocks.map((b) => `${[b.type, ...b.labels].join(' ')} @${b.line}`);

describe('scanBlocks', () => {
  it('finds top-level blocks with their labels and first line', () => {
    const text = ['terraform {', '  required_version = ">= 1.11"', '}', '', 'resource "aws_kms_key" "k" {', '  description = "x"', '}', 'data "aws_iam_policy_document" "d" {}', ''].join('\n');
    expect(headers(scanBlocks(text).blocks)).toEqual(['terraform @1', 'resource aws_kms_key k @5', 'data aws_iam_policy_document d @8']);
  });

  it('ignores blocks inside #, // and /* */ comments', () => {
    const text = [
      '# resource "aws_kms_key" "a" {',
      '// resource "aws_kms_key" "b" {',
      '/* resource "aws_kms_key" "c" {',
      '}',
      '*/ resource "aws_kms_key" "d" {',
      '}',
    ].join('\n');
    expect(headers(scanBlocks(text).blocks)).toEqual(['resource aws_kms_key d @5']);
  });

  it('ignores braces, quotes and comment markers inside strings and nested templates', () => {
    const text = [
      'locals {',
      '  a = "resource \\"aws_kms_key\\" \\"fake\\" { # not a comment"',
      '  b = "${join("}", ["{", "}"])} // still a string ${ { x = "}" }["x"] }"',
      '  c = "$${not an interpolation { "',
      '}',
      'resource "aws_kms_key" "real" {}',
    ].join('\n');
    expect(headers(scanBlocks(text).blocks)).toEqual(['locals @1', 'resource aws_kms_key real @6']);
  });

  it('skips heredocs up to the line holding only their marker, interpolations included', () => {
    const text = [
      'locals {',
      '  h = <<EOT',
      'resource "aws_kms_key" "fake" {',
      '  EOT is not alone on this line',
      '${jsonencode({',
      '  "}" = "{"',
      '})}',
      'EOT',
      '  i = <<-EOT',
      '    data "x" "y" {',
      '    EOT',
      '}',
      'resource "aws_kms_key" "after" {',
      '}',
    ].join('\n');
    expect(headers(scanBlocks(text).blocks)).toEqual(['locals @1', 'resource aws_kms_key after @13']);
  });

  it('handles one-line blocks, identifier labels and CRLF line ends', () => {
    const text = 'resource "a" "one" { x = "}" }\r\nresource b two {\r\n  y = { z = 1 }\r\n}\r\n';
    expect(headers(scanBlocks(text).blocks)).toEqual(['resource a one @1', 'resource b two @2']);
  });

  it('lists nested blocks in order, dynamic blocks with their label', () => {
    const text = ['data "aws_iam_policy_document" "d" {', '  statement {}', '  dynamic "statement" {', '    for_each = var.s', '    content {}', '  }', '  statement {', '    principals {', '    }', '  }', '}'].join('\n');
    const [block] = scanBlocks(text).blocks;
    expect(block?.children.map((c) => `${[c.type, ...c.labels].join(' ')} @${c.line}`)).toEqual(['statement @2', 'dynamic statement @3', 'statement @7']);
    expect(block?.children[2]?.children.map((c) => c.type)).toEqual(['principals']);
  });

  it('does not take an object argument for a block', () => {
    const text = ['resource "a" "b" {', '  tags = {', '    statement = "x"', '  }', '  nested {', '  }', '}'].join('\n');
    expect(scanBlocks(text).blocks[0]?.children.map((c) => c.type)).toEqual(['nested']);
  });

  it('reports unterminated text and keeps the blocks before it', () => {
    const text = ['resource "a" "ok" {}', 'resource "a" "broken" {', '  x = <<EOT', 'never closed', ''].join('\n');
    const result = scanBlocks(text);
    expect(headers(result.blocks)).toEqual(['resource a ok @1', 'resource a broken @2']);
    expect(result.problem).toEqual({ line: 3, message: 'unterminated heredoc' });
    expect(scanBlocks('/* open').problem?.message).toBe('unterminated comment');
    expect(scanBlocks('x = "open\n').problem?.message).toBe('unterminated string');
  });

  it('records where each block ends', () => {
    const text = 'a {\n}\nb "x" { c = "}" }\n';
    const blocks = scanBlocks(text).blocks;
    expect(blocks.map((b) => text.slice(b.start, b.end))).toEqual(['a {\n}', 'b "x" { c = "}" }']);
  });
});

describe('hostile input', () => {
  it('scans absurdly nested blocks and interpolations without overflowing the stack', () => {
    const deep = `${'a {\n'.repeat(20000)}${'}\n'.repeat(20000)}resource "x" "after" {}\n`;
    expect(headers(scanBlocks(deep).blocks)).toEqual(['a @1', 'resource x after @40001']);
    const strings = `x = "${'${"'.repeat(3000)}${'"}'.repeat(3000)}"\nresource "x" "y" {}\n`;
    expect(scanBlocks(strings).blocks.map((b) => b.type)).toContain('resource');
  });
});

describe('templates nested beyond the stack', () => {
  it('gives up on the file with a problem instead of crashing', () => {
    const text = `x = "${'${"'.repeat(200000)}"\n`;
    expect(scanBlocks(text).problem?.message).toBe('templates nest too deep to read');
  });
});
