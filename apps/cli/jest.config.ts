export default {
  displayName: 'cli',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
