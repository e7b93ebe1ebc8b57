export default {
  displayName: 'packages-e2e',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
  // The consumer under consumer/ is compiled and tested by its own tools once installed, never by this workspace.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/consumer/'],
};
