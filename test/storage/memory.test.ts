import { MemoryStorage } from '../../src/index.js';
import { storageConformance } from './conformance.js';

storageConformance('MemoryStorage', () => new MemoryStorage());
