/**
 * A keyword taxonomy of the Home Depot catalogue: twelve departments modelled on the store's own top-level
 * departments, matched against product titles (see `taxonomy.ts` for the matching rule), plus `other`.
 *
 * Ambiguous words are listed as phrases only (`flat washer` → tools & hardware, `front load washer` →
 * appliances; `lamp shade` → lighting, `roller shade` → doors & windows), and a keyword belongs to one
 * department only (the matcher rejects a taxonomy that lists one twice).
 *
 * Default held-out (out-of-distribution) departments: `outdoor-garden`, `appliances` and `paint`. Their
 * vocabularies are largely absent from the rest of the catalogue (lawn, garden and patio words; capacities,
 * brands and machine types of large appliances; finishes, sheens and gallon sizes of paint), and together they
 * hold about a fifth of the pairs of the Home Depot train split (20.9% with the query-majority rule), so the
 * shifted side is large enough both to select from and to evaluate on.
 */
import type { Taxonomy } from './taxonomy';

/** The Home Depot catalogue taxonomy. */
export const HOMEDEPOT_TAXONOMY: Taxonomy = Object.freeze({
  name: 'homedepot',
  fallback: 'other',
  defaultHeldOut: Object.freeze(['outdoor-garden', 'appliances', 'paint']),
  departments: Object.freeze([
    {
      id: 'appliances',
      label: 'Appliances',
      keywords: [
        'appliance', 'refrigerator', 'fridge', 'freezer', 'dishwasher', 'microwave', 'oven', 'cooktop', 'range hood',
        'gas range', 'electric range', 'dual fuel range', 'induction range', 'slide in range', 'freestanding range',
        'front load washer', 'top load washer', 'washing machine', 'washer and dryer', 'dryer', 'ice maker',
        'wine cooler', 'beverage cooler', 'beverage center', 'trash compactor', 'garbage disposal', 'disposer',
        'vacuum', 'vacuum cleaner', 'steam cleaner', 'carpet cleaner', 'coffee maker', 'toaster', 'blender', 'mixer',
        'warming drawer', 'kegerator', 'ice machine', 'water dispenser', 'pedestal',
      ],
    },
    {
      id: 'paint',
      label: 'Paint',
      keywords: [
        'paint', 'primer', 'stain', 'sealer', 'sealant', 'varnish', 'polyurethane', 'lacquer', 'enamel', 'spray paint',
        'coating', 'waterproofer', 'caulk', 'paint roller', 'roller cover', 'roller frame', 'paint brush', 'paint tray',
        'drop cloth', 'painter tape', 'masking tape', 'wallpaper', 'wall paper', 'mural', 'paint sprayer', 'glaze',
        'finish', 'wood filler', 'spackle', 'patching compound', 'joint compound', 'paint stripper', 'paint thinner',
        'mineral spirits', 'deck stain', 'concrete stain', 'epoxy', 'gloss', 'semi gloss', 'eggshell', 'satin',
        'flat', 'base', 'color sample', 'chalkboard',
      ],
    },
    {
      id: 'plumbing',
      label: 'Plumbing',
      keywords: [
        'pipe', 'fitting', 'elbow', 'coupling', 'tee', 'reducer', 'bushing', 'nipple', 'union', 'flange', 'cap',
        'plug', 'valve', 'ball valve', 'gate valve', 'check valve', 'shut off valve', 'pvc', 'cpvc', 'pex', 'abs',
        'copper pipe', 'water heater', 'tankless water heater', 'expansion tank', 'pump', 'sump pump', 'well pump',
        'utility pump', 'drain', 'trap', 'p trap', 'supply line', 'water supply', 'water filter', 'water filtration',
        'water softener', 'reverse osmosis', 'plunger', 'drain cleaner', 'auger', 'sewer', 'septic', 'backflow',
        'faucet cartridge', 'cartridge', 'fill valve', 'flapper', 'wax ring', 'tubing', 'tube', 'hose bib',
        'sillcock', 'manifold', 'crimp ring', 'push to connect', 'sharkbite', 'compression', 'adapter', 'solder',
        'plumber', 'teflon tape', 'pipe thread',
      ],
    },
    {
      id: 'kitchen-bath',
      label: 'Kitchen & bath',
      keywords: [
        'faucet', 'kitchen faucet', 'bathroom faucet', 'sink', 'kitchen sink', 'bathroom sink', 'vessel sink', 'basin',
        'toilet', 'toilet seat', 'bidet', 'urinal', 'shower', 'shower head', 'showerhead', 'hand shower',
        'shower door', 'shower enclosure', 'shower base', 'shower pan', 'shower curtain', 'shower rod', 'bathtub',
        'tub', 'whirlpool tub', 'soaking tub', 'vanity', 'vanity top', 'medicine cabinet', 'bathroom cabinet',
        'kitchen cabinet', 'base cabinet', 'wall cabinet', 'cabinet door', 'countertop', 'vanity mirror',
        'bathroom mirror', 'towel bar', 'towel ring', 'towel rack', 'toilet paper holder', 'tissue holder',
        'robe hook', 'grab bar', 'mirror', 'wall mirror', 'soap dispenser', 'soap dish', 'bath', 'bathroom', 'kitchen', 'tub spout',
        'shower valve', 'trim kit', 'kitchen island', 'backsplash', 'bath accessory', 'bath fan',
      ],
    },
    {
      id: 'electrical-lighting',
      label: 'Electrical & lighting',
      keywords: [
        'light', 'lighting', 'light bulb', 'bulb', 'led', 'lamp', 'floor lamp', 'table lamp', 'lamp shade',
        'light fixture', 'fixture', 'chandelier', 'pendant', 'sconce', 'vanity light', 'flush mount', 'flushmount',
        'semi flush mount', 'ceiling fan', 'ceiling light', 'recessed', 'recessed lighting', 'track lighting',
        'track light', 'light kit', 'lantern', 'flood light', 'floodlight', 'spotlight', 'landscape light',
        'path light', 'string light', 'under cabinet light', 'troffer', 'fluorescent', 'halogen', 'incandescent',
        'night light', 'flashlight', 'switch', 'light switch', 'dimmer', 'outlet', 'receptacle', 'gfci', 'usb outlet',
        'wall plate', 'switch plate', 'electrical box', 'junction box', 'outlet box', 'breaker', 'circuit breaker',
        'load center', 'panel', 'wire', 'electrical wire', 'cable', 'conduit', 'connector', 'wire connector',
        'extension cord', 'cord', 'power strip', 'surge protector', 'timer', 'motion sensor', 'occupancy sensor',
        'photocell', 'doorbell', 'door chime', 'smoke alarm', 'smoke detector', 'carbon monoxide', 'generator',
        'transformer', 'ballast', 'fuse', 'electrical', 'voltage tester', 'battery', 'alkaline', 'solar light',
        'security camera', 'thhn', 'romex',
      ],
    },
    {
      id: 'flooring',
      label: 'Flooring',
      keywords: [
        'flooring', 'floor', 'tile', 'floor tile', 'wall tile', 'porcelain tile', 'ceramic tile', 'mosaic',
        'mosaic tile', 'laminate', 'laminate flooring', 'hardwood', 'engineered hardwood', 'vinyl plank',
        'vinyl tile', 'vinyl flooring', 'sheet vinyl', 'carpet', 'carpet tile', 'rug', 'area rug', 'runner', 'mat',
        'door mat', 'underlayment', 'grout', 'thinset', 'tile adhesive', 'stair tread', 'tread', 'stair nose',
        'stair nosing', 'transition', 't molding', 'threshold strip', 'reducer strip', 'quarter round', 'slate',
        'travertine', 'marble tile', 'stone tile', 'bullnose', 'pencil liner', 'tile trim', 'tile spacer',
        'floor register', 'carpet pad', 'cork', 'bamboo flooring', 'plank',
      ],
    },
    {
      id: 'tools-hardware',
      label: 'Tools & hardware',
      keywords: [
        'tool', 'drill', 'hammer drill', 'impact driver', 'driver', 'saw', 'circular saw', 'miter saw', 'table saw',
        'jig saw', 'jigsaw', 'reciprocating saw', 'band saw', 'hand saw', 'hacksaw', 'blade', 'saw blade', 'bit',
        'drill bit', 'router', 'router bit', 'sander', 'grinder', 'angle grinder', 'nailer', 'nail gun', 'stapler',
        'staple', 'compressor', 'air compressor', 'impact wrench', 'wrench', 'socket', 'socket set', 'ratchet',
        'screwdriver', 'plier', 'hammer', 'mallet', 'chisel', 'utility knife', 'knife', 'knives', 'cutter', 'snip',
        'clamp', 'vise', 'level', 'laser level', 'tape measure', 'square', 'multi tool', 'oscillating tool',
        'heat gun', 'glue gun', 'soldering', 'tool box', 'tool chest', 'tool bag', 'tool belt', 'work bench',
        'workbench', 'sawhorse', 'ladder', 'step stool', 'screw', 'bolt', 'nut', 'nail', 'anchor', 'rivet',
        'flat washer', 'lock washer', 'fender washer', 'hinge', 'cabinet hardware', 'cabinet pull', 'drawer pull',
        'bar pull', 'cup pull', 'pull', 'knob', 'cabinet knob', 'drawer slide', 'hook', 'eye bolt', 'chain', 'rope',
        'cable tie', 'zip tie', 'magnet', 'caster', 'padlock', 'hasp', 'cordless', 'lithium ion', 'charger',
        'battery pack', 'combo kit', 'safety glass', 'glove', 'respirator', 'ear plug', 'hard hat', 'work light',
        'shop vac', 'wet dry vac', 'wet dry vacuum', 'welder', 'torch', 'dewalt', 'milwaukee', 'ryobi', 'makita', 'bosch', 'ridgid', 'hardware',
        'bracket', 'corner brace', 'mending plate', 'strap', 'tie down', 'bungee', 'dolly', 'hand truck',
        'sandpaper', 'sanding', 'abrasive', 'adhesive', 'glue', 'tape', 'duct tape', 'wd', 'lubricant',
      ],
    },
    {
      id: 'outdoor-garden',
      label: 'Outdoor & garden',
      keywords: [
        'patio', 'patio set', 'dining set', 'outdoor', 'garden', 'lawn', 'yard', 'mower', 'lawn mower',
        'riding mower', 'trimmer', 'string trimmer', 'hedge trimmer', 'edger', 'blower', 'leaf blower', 'blower vacuum',
        'snow blower', 'snow thrower', 'chainsaw', 'chain saw', 'pole saw', 'tiller', 'cultivator', 'pressure washer',
        'log splitter', 'trimmer line', 'spark plug', 'grill', 'gas grill', 'charcoal grill', 'smoker', 'griddle',
        'fire pit', 'patio heater', 'chiminea', 'hose', 'garden hose', 'hose reel', 'nozzle', 'sprinkler',
        'irrigation', 'drip', 'rain barrel', 'planter', 'pot', 'flower pot', 'raised bed', 'plant', 'seed',
        'grass seed', 'sod', 'soil', 'potting soil', 'mulch', 'compost', 'fertilizer', 'weed', 'weed killer',
        'killer', 'herbicide', 'insecticide', 'pesticide', 'fungicide', 'repellent', 'bird feeder', 'bird bath',
        'birdhouse', 'shed', 'storage shed', 'greenhouse', 'gazebo', 'pergola', 'arbor', 'trellis', 'umbrella',
        'patio umbrella', 'hammock', 'swing', 'adirondack', 'cushion', 'outdoor cushion', 'fountain', 'pond',
        'wheelbarrow', 'shovel', 'spade', 'rake', 'hoe', 'pruner', 'lopper', 'shear', 'landscape', 'landscape edging',
        'landscape fabric', 'paver', 'stepping stone', 'fence', 'fence panel', 'fence post', 'picket', 'gate',
        'lattice', 'tree', 'shrub', 'flower', 'bulb planter', 'snow shovel', 'ice melt', 'mailbox', 'playset',
        'trampoline', 'pool', 'spa', 'deck box', 'bench',
      ],
    },
    {
      id: 'building-materials',
      label: 'Building materials',
      keywords: [
        'lumber', 'board', 'plywood', 'osb', 'mdf', 'particle board', 'stud', 'joist', 'beam', 'timber', 'post',
        'pressure treated', 'dimensional lumber', 'drywall', 'sheetrock', 'cement board', 'backer board',
        'insulation', 'foam board', 'house wrap', 'vapor barrier', 'concrete', 'concrete mix', 'cement', 'mortar',
        'stucco', 'grout mix', 'brick', 'block', 'concrete block', 'rebar', 'wire mesh', 'moulding', 'molding',
        'crown moulding', 'baseboard', 'casing', 'trim', 'chair rail', 'wainscot', 'wainscoting', 'beadboard',
        'siding', 'vinyl siding', 'soffit', 'fascia', 'roofing', 'roof', 'shingle', 'roll roofing', 'flashing',
        'drip edge', 'gutter', 'downspout', 'decking', 'deck board', 'composite decking', 'deck', 'railing',
        'baluster', 'spindle', 'newel', 'handrail', 'stair', 'stair stringer', 'joist hanger', 'hurricane tie',
        'strong tie', 'angle', 'connector plate', 'sheet', 'corrugated', 'panel board', 'ceiling tile',
        'ceiling panel', 'acoustic', 'dowel', 'furring strip', 'shim', 'lath', 'sheathing', 'rafter', 'truss',
        'column', 'pillar', 'corbel', 'bracket moulding', 'brickmold', 'jamb', 'sill', 'polycarbonate', 'acrylic',
        'plexiglass', 'fiberglass panel', 'metal sheet', 'aluminum sheet', 'steel sheet', 'expanded metal',
      ],
    },
    {
      id: 'storage-organization',
      label: 'Storage & organization',
      keywords: [
        'storage', 'organizer', 'organization', 'shelf', 'shelves', 'shelving', 'shelving unit', 'wall shelf',
        'floating shelf', 'shelf bracket', 'closet', 'closet organizer', 'closet rod', 'closet system', 'wire shelving',
        'garage storage', 'storage cabinet', 'garage cabinet', 'utility cabinet', 'storage bin', 'bin', 'tote',
        'basket', 'storage box', 'drawer', 'drawer organizer', 'rack', 'shoe rack', 'coat rack', 'wall rack',
        'hanger', 'clothes hanger', 'coat hook', 'pegboard', 'slatwall', 'track system', 'cubby', 'cube',
        'bookcase', 'bookshelf', 'trash can', 'garbage can', 'waste basket', 'recycling bin', 'laundry', 'hamper',
        'cleaner', 'cleaning', 'mop', 'broom', 'bucket', 'sponge', 'scrub brush', 'duster', 'squeegee', 'wipe',
        'trash bag', 'paper towel', 'disinfectant', 'detergent', 'degreaser', 'air freshener', 'step can', 'caddy',
        'lazy susan', 'pull out', 'pantry', 'mailbox organizer', 'key rack', 'bike rack', 'ladder hook',
      ],
    },
    {
      id: 'heating-cooling',
      label: 'Heating & cooling',
      keywords: [
        'heater', 'space heater', 'electric heater', 'baseboard heater', 'wall heater', 'garage heater',
        'infrared heater', 'propane heater', 'kerosene heater', 'radiant heater', 'oil filled', 'air conditioner',
        'window air conditioner', 'portable air conditioner', 'ductless', 'mini split', 'heat pump', 'evaporative cooler',
        'swamp cooler', 'fan', 'box fan', 'tower fan', 'pedestal fan', 'exhaust fan', 'ventilation fan',
        'attic fan', 'whole house fan', 'wall fan', 'floor fan', 'dehumidifier', 'humidifier', 'air purifier',
        'air cleaner', 'air filter', 'furnace filter', 'hvac filter', 'filter', 'thermostat', 'programmable thermostat',
        'furnace', 'boiler', 'register', 'vent', 'grille', 'air vent', 'return air', 'diffuser', 'damper', 'duct',
        'ductwork', 'flex duct', 'duct tape hvac', 'fireplace', 'fireplace insert', 'fireplace screen',
        'fireplace tool', 'gas log', 'electric fireplace', 'wood stove', 'pellet stove', 'stove pipe', 'chimney',
        'firewood', 'log rack', 'btu', 'cooling', 'heating', 'radiator', 'hydronic', 'condenser', 'air handler',
      ],
    },
    {
      id: 'doors-windows',
      label: 'Doors & windows',
      keywords: [
        'door', 'doors', 'prehung door', 'entry door', 'exterior door', 'interior door', 'front door', 'storm door',
        'screen door', 'patio door', 'sliding door', 'french door', 'barn door', 'bifold door', 'closet door',
        'garage door', 'garage door opener', 'pet door', 'dog door', 'slab door', 'door slab', 'door knob',
        'door lever', 'lever', 'handleset', 'deadbolt', 'entry knob', 'passage knob', 'privacy knob', 'door lock',
        'smart lock', 'keypad', 'smartkey', 'door hinge', 'door stop', 'door closer', 'door sweep', 'weatherstrip',
        'weather stripping', 'threshold', 'kick plate', 'peephole', 'door viewer', 'window', 'windows',
        'double hung', 'single hung', 'casement window', 'sliding window', 'awning window', 'egress',
        'window screen', 'screen', 'sidelite', 'sidelites', 'transom', 'skylight', 'glass block', 'window film',
        'window well', 'shutter', 'blind', 'mini blind', 'vertical blind', 'shade', 'window shade', 'roller shade',
        'cellular shade', 'roman shade', 'curtain', 'curtain rod', 'drapery', 'drapery rod', 'drape', 'panel pair',
        'valance', 'finial', 'tieback', 'storm window', 'window lock', 'sash lock',
      ],
    },
  ]),
} satisfies Taxonomy);
