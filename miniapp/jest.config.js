/**
 * Component tests: jsdom + @testing-library/react, with Taro's runtime replaced by small mocks
 * (test/__mocks__). Only src/**\/*.spec.ts(x), and scripts/*.spec.ts for the build scripts; browser
 * tests live in the e2e package at the root.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src', '<rootDir>/scripts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts?(x)', '<rootDir>/scripts/*.spec.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2020',
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@tarojs/taro$': '<rootDir>/test/__mocks__/taro.ts',
    '^@tarojs/components$': '<rootDir>/test/__mocks__/components.tsx',
    '^@nutui/nutui-react-taro$': '<rootDir>/test/__mocks__/nutui.ts',
    '\\.(css|scss|sass|less)$': '<rootDir>/test/__mocks__/style.ts',
    '^@/(.*)$': '<rootDir>/src/$1',
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  clearMocks: true,
}
