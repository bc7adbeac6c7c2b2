// OPC relationships (ECMA-376 Part 2 §9): how a package part names the parts it
// uses (slides, notes, worksheets). Targets are relative to the source part's folder.
import { posix } from 'node:path';
import type { OfficePackage } from './office-package.ts';
import { attribute, scanXml } from './xml-scan.ts';

export interface Relationship {
  type: string;
  /** The target as a package part name (no leading slash), or the raw URL when external. */
  target: string;
}

export function relationshipsPart(partName: string): string {
  return posix.join(posix.dirname(partName), '_rels', `${posix.basename(partName)}.rels`);
}

export function resolvePartName(sourcePart: string, target: string): string {
  if (target.startsWith('/')) return posix.normalize(target.slice(1));
  return posix.normalize(posix.join(posix.dirname(sourcePart), target));
}

export function readRelationships(pkg: OfficePackage, partName: string): Map<string, Relationship> {
  const relationships = new Map<string, Relationship>();
  const xml = pkg.text(relationshipsPart(partName));
  if (xml === undefined) return relationships;
  scanXml(xml, {
    open(name, attributes) {
      if (name !== 'Relationship') return;
      const id = attribute(attributes, 'Id');
      const target = attribute(attributes, 'Target');
      if (id === undefined || target === undefined) return;
      const external = attribute(attributes, 'TargetMode') === 'External';
      relationships.set(id, {
        type: attribute(attributes, 'Type') ?? '',
        target: external ? target : resolvePartName(partName, target),
      });
    },
  });
  return relationships;
}

/** The first relationship whose type ends with `/kind` (type URIs differ between strict and transitional OOXML). */
export function relationshipOfKind(relationships: Map<string, Relationship>, kind: string): Relationship | undefined {
  for (const relationship of relationships.values()) {
    if (relationship.type.endsWith(`/${kind}`)) return relationship;
  }
  return undefined;
}
