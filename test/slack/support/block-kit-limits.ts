/** Every Slack limit a rendered message must meet; returns the violations (empty when fine). */
type Json = Record<string, unknown>;

function text(object: unknown): string {
  return (object as { text?: string })?.text ?? '';
}

export function blockKitViolations(blocks: Json[], maxBlocks: number): string[] {
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  const actionIds = new Set<string>();
  blocks.forEach((block, index) => {
    const at = `block ${index} (${String(block.type)})`;
    if (block.type === 'header' && text(block.text).length > 150) problems.push(`${at}: header over 150`);
    if (block.type === 'section') {
      if (block.text && text(block.text).length > 3000) problems.push(`${at}: text over 3000`);
      if (block.text && text(block.text).length === 0) problems.push(`${at}: empty text`);
      const fields = (block.fields as Json[] | undefined) ?? [];
      if (fields.length > 10) problems.push(`${at}: ${fields.length} fields`);
      for (const field of fields) if (text(field).length > 2000) problems.push(`${at}: field over 2000`);
    }
    if (block.type === 'context') {
      const elements = block.elements as Json[];
      if (elements.length > 10) problems.push(`${at}: too many elements`);
      for (const element of elements)
        if (text(element).length > 3000) problems.push(`${at}: element over 3000`);
    }
    if (block.type === 'actions') {
      const elements = block.elements as Json[];
      if (elements.length > 25) problems.push(`${at}: ${elements.length} elements`);
      for (const element of elements) {
        const id = String(element.action_id);
        if (actionIds.has(id)) problems.push(`${at}: duplicate action_id ${id}`);
        actionIds.add(id);
        if (element.type === 'button') {
          if (text(element.text).length > 75) problems.push(`${at}: button text over 75`);
          if (String(element.value ?? '').length > 2000) problems.push(`${at}: button value over 2000`);
        }
        if (element.type === 'static_select') {
          const options = element.options as Json[];
          if (options.length > 100) problems.push(`${at}: ${options.length} options`);
          if (text(element.placeholder).length > 150) problems.push(`${at}: placeholder over 150`);
          for (const option of options) {
            if (text(option.text).length > 75) problems.push(`${at}: option text over 75`);
            if (String(option.value).length > 150) problems.push(`${at}: option value over 150`);
          }
        }
      }
    }
  });
  return problems;
}
